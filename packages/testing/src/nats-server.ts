// A private nats-server with JetStream for tests that stop and restart NATS or need a configuration of
// their own (a small JetStream store, accounts with limits, an authorization block): never the shared one.
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
  /**
   * The server's configuration: text added to JetStream on the test's store (e.g. an authorization block), or,
   * given its store directory, the whole JetStream setup too, e.g. (dir) => `jetstream { store_dir: "${dir}",
   * max_file_store: 100MB }`. The address and port are set on the command line.
   */
  config?: string | ((storeDir: string) => string)
}

export async function startPrivateNats (t: { teardown: (fn: () => unknown) => void }, options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'ds-nats-'))
  const binary = process.env.NATS_SERVER_BIN ?? 'nats-server'
  let child: ChildProcess | undefined
  const url = `nats://127.0.0.1:${port}`
  const args = ['-a', '127.0.0.1', '-p', String(port)]
  if (typeof options.config !== 'function') args.push('-js', '-sd', dir)
  if (options.config !== undefined) {
    const file = join(dir, 'nats-server.conf')
    // It may hold passwords: readable by us alone.
    writeFileSync(file, typeof options.config === 'function' ? options.config(join(dir, 'store')) : options.config, { mode: 0o600 })
    args.push('-c', file)
  }
  const start = async (): Promise<void> => {
    const c = spawn(binary, args, { stdio: 'ignore' })
    child = c
    for (let i = 0; i < 100; i++) {
      if (c.exitCode !== null) throw new Error(`private nats-server exited with ${c.exitCode} (${binary} ${args.join(' ')}): is its configuration valid?`)
      try { const nc = await connect({ servers: url, reconnect: false }); await nc.close(); return } catch (err) {
        // A configuration with users refuses us, but the server is up.
        if ((err as Error).name === 'AuthorizationError') return
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
