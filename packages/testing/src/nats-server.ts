// A private nats-server with JetStream for tests that stop and restart NATS, or that need it configured
// (e.g. with an authorization block): never the shared one.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from '@nats-io/transport-node'
import { freePort } from './free-port.js'

export interface PrivateNats {
  url: string
  stop: () => Promise<void>
  start: () => Promise<void>
}

export interface PrivateNatsOptions {
  /** nats-server configuration text (e.g. an authorization block); the address, port and store stay the test's. */
  config?: string
}

export async function startPrivateNats (t: { teardown: (fn: () => unknown) => void }, options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'ds-nats-'))
  const binary = process.env.NATS_SERVER_BIN ?? 'nats-server'
  let child: ChildProcess | undefined
  const url = `nats://127.0.0.1:${port}`
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir]
  if (options.config !== undefined) {
    const file = join(dir, 'nats.conf')
    writeFileSync(file, options.config, { mode: 0o600 })
    args.unshift('-c', file)
  }
  const start = async (): Promise<void> => {
    child = spawn(binary, args, { stdio: 'ignore' })
    for (let i = 0; i < 100; i++) {
      try {
        const nc = await connect({ servers: url, reconnect: false })
        await nc.close()
        return
      } catch (err) {
        // An authorizing server answers an anonymous client with a refusal: it is up.
        if (/authorization/i.test((err as Error).message)) return
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    throw new Error('private nats-server did not start')
  }
  const stop = async (): Promise<void> => {
    const c = child
    if (c === undefined || c.exitCode !== null) return
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGKILL') })
    child = undefined
  }
  await start()
  t.teardown(async () => { await stop(); rmSync(dir, { recursive: true, force: true }) })
  return { url, stop, start }
}
