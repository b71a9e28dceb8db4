// A private redis-server for tests that kill Redis and bring it back: never the shared one. Nothing is
// persisted, as in a cache that lost its memory with its process.
import { spawn, type ChildProcess } from 'node:child_process'
import { Socket } from 'node:net'
import { freePort } from './free-port.js'

export interface PrivateRedis {
  url: string
  /** SIGKILL: the process is gone at once, with its data. */
  stop: () => Promise<void>
  start: () => Promise<void>
}

async function answersPing (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean): void => { socket.destroy(); resolve(ok) }
    socket.once('error', () => done(false))
    socket.once('data', (chunk: Buffer) => done(chunk.toString('utf8').startsWith('+PONG')))
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
  })
}

export async function startPrivateRedis (t: { teardown: (fn: () => unknown) => void }): Promise<PrivateRedis> {
  const port = await freePort()
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server'
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
    for (let i = 0; i < 100; i++) {
      if (await answersPing(port)) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('private redis-server did not start')
  }
  const stop = async (): Promise<void> => {
    const c = child
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGKILL') })
    child = undefined
  }
  await start()
  t.teardown(stop)
  return { url: `redis://127.0.0.1:${port}`, stop, start }
}
