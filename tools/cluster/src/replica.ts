// One replica of a service: its real server.ts in a process of its own, with its own pool and caches, on a
// port of its own (and an ops port for its health and metrics). It can be stopped as Kubernetes stops a pod
// (SIGTERM, then wait) or killed (SIGKILL), and started again on the same ports.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { GaveUp, waitUntil } from './nats-cluster.js'

export type ServiceName = 'auth' | 'exam' | 'analytics' | 'notification'

export interface ReplicaOptions {
  service: ServiceName
  /** e.g. exam-2: the proxy's name for it, the prefix of its log lines. */
  name: string
  port: number
  /** Its OPS_PORT: /health/*, /metrics, /docs. */
  opsPort: number
  env: Record<string, string>
  /** Each log line, prefixed with the replica's name; none: discarded. */
  output?: (line: string) => void
}

export interface Replica {
  service: ServiceName
  name: string
  port: number
  url: string
  opsPort: number
  opsUrl: string
  running: () => boolean
  /** Starts the process and resolves once /health/ready answers 200 on its ops port. */
  start: () => Promise<void>
  /** SIGTERM (graceful: in-flight requests finish) or SIGKILL; resolves once the process is gone. */
  stop: (signal?: NodeJS.Signals) => Promise<void>
}

const serverPath = (service: ServiceName): string => fileURLToPath(new URL(`../../../services/${service}/src/server.ts`, import.meta.url))

const LAST_LINES = 5

export function createReplica (options: ReplicaOptions): Replica {
  let child: ChildProcess | undefined
  const url = `http://127.0.0.1:${options.port}`
  const opsUrl = `http://127.0.0.1:${options.opsPort}`
  // A replica that dies while starting names why in the error (CI's log carries a failed test's error, not
  // the replicas' output): its last lines are kept whether or not the caller wants its output.
  const last: string[] = []
  const pipe = (stream: NodeJS.ReadableStream | null): void => {
    if (stream === null) return
    let rest = ''
    stream.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) {
        last.push(line)
        if (last.length > LAST_LINES) last.shift()
        options.output?.(`${options.name}: ${line}`)
      }
    })
  }

  const start = async (): Promise<void> => {
    if (child !== undefined) return
    const c = spawn(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', serverPath(options.service)], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: String(options.port), OPS_PORT: String(options.opsPort), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    child = c
    pipe(c.stdout)
    pipe(c.stderr)
    c.once('exit', () => { if (child === c) child = undefined })
    await waitUntil(async () => {
      if (c.exitCode !== null || c.signalCode !== null) throw new GaveUp(`${options.name} exited (${c.exitCode ?? c.signalCode}); its last lines, newest first: ${[...last].reverse().join(' | ')}`)
      const res = await fetch(`${opsUrl}/health/ready`, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`readiness ${res.status}`)
    }, `${options.name} to be ready`, 60_000)
  }

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const c = child
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) { child = undefined; return }
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill(signal) })
    child = undefined
  }

  return { service: options.service, name: options.name, port: options.port, url, opsPort: options.opsPort, opsUrl, running: () => child !== undefined, start, stop }
}
