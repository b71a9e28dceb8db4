// HAProxy in front of each service, standing in for a Kubernetes Service: every request (not every connection)
// goes to the next ready replica in turn, with no stickiness, and names the replica that served it in
// X-DreamSeed-Replica so tests can see the spread. Readiness is /health/ready on each replica's ops port, as the
// pods' readiness probe; clients reach the public ports only.
// A request that reached no replica (connection refused, reset before any answer, a replica answering 503
// while it stops) is retried on another one, as kube-proxy plus readiness gating would spare the client.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { GaveUp, waitUntil } from './nats-cluster.js'

export const REPLICA_HEADER = 'x-dreamseed-replica'

export interface ProxiedService {
  name: string
  /** The proxy's own port: the address clients use. */
  port: number
  /** Each replica's public port, and its ops port, which the health check asks. */
  replicas: Array<{ name: string, port: number, opsPort: number }>
}

export interface HaproxyOptions {
  services: ProxiedService[]
  /** How often each replica's readiness is checked (two failures in a row take it out of rotation). */
  checkIntervalMs?: number
}

export function haproxyConfig (options: HaproxyOptions): string {
  const inter = options.checkIntervalMs ?? 1000
  const lines = [
    'global',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 120s',
    '  timeout server 120s',
    '  timeout http-request 30s',
    '  timeout http-keep-alive 10s',
    '  option forwardfor',
    // Retries go to another replica (redispatch on every retry). Only failures where no answer left a replica
    // are retried: the routes they can hit are idempotent (answers, registration) or were never received.
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response response-timeout 503',
    '  http-reuse safe',
    ''
  ]
  for (const service of options.services) {
    lines.push(
      `frontend ${service.name}`,
      `  bind 127.0.0.1:${service.port}`,
      `  default_backend ${service.name}`,
      '',
      `backend ${service.name}`,
      '  balance roundrobin',
      '  option httpchk GET /health/ready',
      '  http-check expect status 200',
      `  default-server inter ${inter}ms fastinter ${Math.max(100, Math.floor(inter / 2))}ms downinter ${inter}ms fall 2 rise 1`,
      `  http-response set-header ${REPLICA_HEADER} %[srv_name]`,
      ...service.replicas.map((r) => `  server ${r.name} 127.0.0.1:${r.port} check port ${r.opsPort}`),
      ''
    )
  }
  return lines.join('\n')
}

export interface Haproxy {
  urls: Record<string, string>
  close: () => Promise<void>
}

/** Installs Debian's haproxy when missing and we are root (as `npm test` does for Chromium); else says how. */
export function ensureHaproxy (): string {
  const found = which('haproxy')
  if (found !== undefined) return found
  if (process.getuid?.() === 0) {
    process.stderr.write('› installing haproxy with apt-get\n')
    execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null'], { stdio: 'inherit' })
    const installed = which('haproxy')
    if (installed !== undefined) return installed
  }
  throw new Error('haproxy is missing: sudo apt-get install -y haproxy')
}

function which (name: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/local/sbin', ...(process.env.PATH ?? '').split(':')]) {
    try { execFileSync('test', ['-x', `${dir}/${name}`]); return `${dir}/${name}` } catch { /* not here */ }
  }
  return undefined
}

export async function startHaproxy (options: HaproxyOptions & { configFile: string }): Promise<Haproxy> {
  const binary = ensureHaproxy()
  writeFileSync(options.configFile, haproxyConfig(options))
  execFileSync(binary, ['-c', '-q', '-f', options.configFile])
  // -db: stay in the foreground, so the child is the proxy and stopping it stops the proxy.
  const child: ChildProcess = spawn(binary, ['-db', '-f', options.configFile], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000) })
  const urls = Object.fromEntries(options.services.map((s) => [s.name, `http://127.0.0.1:${s.port}`]))
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new GaveUp(`haproxy exited with ${child.exitCode}: ${stderr}`)
    // Any answer will do (a 404, a 503 while no replica is up yet): the proxy listens.
    await Promise.all(Object.values(urls).map(async (url) => { await (await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) })).arrayBuffer() }))
  }, 'haproxy to listen')
  return {
    urls,
    close: async () => {
      if (child.exitCode !== null) return
      await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM') })
    }
  }
}
