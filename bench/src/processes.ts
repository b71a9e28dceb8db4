// The processes the bench runs: each service exactly as `npm start` runs it (its own node, its real
// server.ts through tsx), the bare baseline server, and how to wait for them, read their memory and stop them.
import { spawn, type ChildProcess } from 'node:child_process'
import { openSync, closeSync, readFileSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export interface NodeProcess {
  name: string
  url: string
  /** Its ops port (OPS_PORT, one the bench picks): /health/*, /metrics. */
  opsUrl: string
  child: ChildProcess
  logFile: string
  /** Resident memory now, in bytes (from /proc: the process itself, not a guess from inside it). */
  rss: () => number
  stop: () => Promise<void>
}

export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export function rssOf (pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m === null ? 0 : Number(m[1]) * 1024
  } catch {
    return 0
  }
}

export interface SpawnOptions {
  name: string
  /** The script run with tsx, and the folder it runs in (a service's package folder, as `npm start` does). */
  script: string
  cwd: string
  port: number
  env: Record<string, string>
  logDir: string
  /** Folder for a V8 CPU profile written when the process exits. */
  cpuProfileDir?: string
}

export async function spawnNode (options: SpawnOptions): Promise<NodeProcess> {
  mkdirSync(options.logDir, { recursive: true })
  const logFile = join(options.logDir, `${options.name}.log`)
  const fd = openSync(logFile, 'w')
  const args = ['--conditions=dreamseed-source', '--import', 'tsx']
  // One folder per process: node writes a profile per thread (tsx's loader runs in a thread of its own).
  if (options.cpuProfileDir !== undefined) args.push('--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfileDir, options.name)}`)
  // Logs go straight to a file: the kernel writes them, so reading them costs the bench no CPU.
  const opsPort = await freePort()
  const child = spawn(process.execPath, [...args, options.script], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env, PORT: String(options.port), OPS_PORT: String(opsPort), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd]
  })
  closeSync(fd)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${options.port}`
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(timer)
  }
  return { name: options.name, url, opsUrl: `http://127.0.0.1:${opsPort}`, child, logFile, rss: () => rssOf(child.pid), stop }
}

/** Waits until /health/ready answers 200 on the ops port (every critical dependency up), or fails with the log's tail. */
export async function waitReady (proc: NodeProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${tail(proc.logFile)}`)
    try {
      const res = await fetch(`${proc.opsUrl}/health/ready`)
      const body = await res.json() as { status?: string }
      if (res.status === 200 && body.status === 'ready') return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} not ready after ${timeoutMs} ms:\n${tail(proc.logFile)}`)
    await sleep(200)
  }
}

export function tail (file: string, lines = 20): string {
  try { return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') } catch { return '(no log)' }
}
