// A closed-loop load generator: N clients, each a fetch loop running one scenario step after another until the
// time is up, against an app listening on a port. Meanwhile it samples the process's memory, the database
// pool (GET /health/database/pool) and readiness on the ops port, and it reports what a person would want to see.
import { jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { streamFor } from '@dreamseed/events'
import { NATS_URL, waitFor } from '@dreamseed/testing'
import type postgres from 'postgres'
import { listenOnBothPorts } from '@dreamseed/kit'

export const LOAD_FULL = process.env.LOAD_FULL === '1'
export const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50)
export const DURATION_MS = Number(process.env.LOAD_SECONDS ?? (LOAD_FULL ? 60 : 5)) * 1000

export interface Reply { status: number, body: unknown }

export interface Client {
  /** One request; its status and latency are recorded under `label`. */
  call: (label: string, method: string, path: string, options?: { token?: string, body?: unknown }) => Promise<Reply>
  index: number
}

interface Histogram { count: number, latencies: number[], statuses: Record<string, number> }

export interface LoadReport {
  seconds: number
  requests: number
  rps: number
  statuses: Record<string, number>
  fiveHundreds: number
  errors: number
  latencyMs: { p50: number, p99: number, max: number }
  routes: Record<string, { count: number, p50: number, p99: number, statuses: Record<string, number> }>
  rssMb: { start: number, firstThird: number, lastThird: number, peak: number, end: number }
  pool: { max: number, peakActive: number, peakOpen: number, slowestProbeMs: number }
  readiness: { probes: number, notReady: number }
}

const quantile = (sorted: number[], q: number): number => sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024)
const mean = (xs: number[]): number => xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length

/** Where the clients send their requests (`url`) and where the sampler reads the pool and readiness (`opsUrl`). */
export interface LoadTarget { url: string, opsUrl: string }

export async function runLoad (target: LoadTarget, step: (client: Client) => Promise<void>, options: { clients?: number, durationMs?: number } = {}): Promise<LoadReport> {
  const baseUrl = target.url
  const clients = options.clients ?? CLIENTS
  const durationMs = options.durationMs ?? DURATION_MS
  const routes: Record<string, Histogram> = {}
  let errors = 0
  const record = (label: string, status: number, ms: number): void => {
    const h = routes[label] ??= { count: 0, latencies: [], statuses: {} }
    h.count++
    h.latencies.push(ms)
    h.statuses[status] = (h.statuses[status] ?? 0) + 1
  }
  const call: Client['call'] = async (label, method, path, options = {}) => {
    const started = performance.now()
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
      })
      const text = await res.text()
      record(label, res.status, performance.now() - started)
      let body: unknown
      try { body = text === '' ? undefined : JSON.parse(text) } catch { body = text }
      return { status: res.status, body }
    } catch (err) {
      errors++
      record(label, 0, performance.now() - started)
      return { status: 0, body: String(err) }
    }
  }

  const rss: number[] = []
  const pool = { max: 0, peakActive: 0, peakOpen: 0, slowestProbeMs: 0 }
  const readiness = { probes: 0, notReady: 0 }
  const deadline = Date.now() + durationMs
  const sampler = (async () => {
    for (let tick = 0; Date.now() < deadline; tick++) {
      rss.push(process.memoryUsage.rss())
      const started = performance.now()
      const stats = await fetch(`${target.opsUrl}/health/database/pool`).then(async (r) => await r.json() as { max: number, active: number, open: number }).catch(() => undefined)
      pool.slowestProbeMs = Math.max(pool.slowestProbeMs, Math.round(performance.now() - started))
      if (stats !== undefined) { pool.max = stats.max; pool.peakActive = Math.max(pool.peakActive, stats.active); pool.peakOpen = Math.max(pool.peakOpen, stats.open) }
      if (tick % 4 === 0) {
        readiness.probes++
        const ready = await fetch(`${target.opsUrl}/health/ready`).then(async (r) => { await r.arrayBuffer(); return r.status }).catch(() => 0)
        if (ready !== 200) readiness.notReady++
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  })()
  const started = Date.now()
  await Promise.all(Array.from({ length: clients }, async (_, index) => {
    const client: Client = { call, index }
    while (Date.now() < deadline) await step(client)
  }))
  await sampler
  const seconds = (Date.now() - started) / 1000
  const all = Object.values(routes).flatMap((h) => h.latencies).sort((a, b) => a - b)
  const statuses: Record<string, number> = {}
  for (const h of Object.values(routes)) for (const [s, n] of Object.entries(h.statuses)) statuses[s] = (statuses[s] ?? 0) + n
  const third = Math.max(1, Math.floor(rss.length / 3))
  return {
    seconds,
    requests: all.length,
    rps: Math.round(all.length / seconds),
    statuses,
    fiveHundreds: Object.entries(statuses).filter(([s]) => Number(s) >= 500).reduce((a, [, n]) => a + n, 0),
    errors,
    latencyMs: { p50: Math.round(quantile(all, 0.5)), p99: Math.round(quantile(all, 0.99)), max: Math.round(all.at(-1) ?? 0) },
    routes: Object.fromEntries(Object.entries(routes).map(([label, h]) => {
      const sorted = h.latencies.sort((a, b) => a - b)
      return [label, { count: h.count, p50: Math.round(quantile(sorted, 0.5)), p99: Math.round(quantile(sorted, 0.99)), statuses: h.statuses }]
    })),
    rssMb: { start: mb(rss[0] ?? 0), firstThird: mb(mean(rss.slice(0, third))), lastThird: mb(mean(rss.slice(-third))), peak: mb(Math.max(...rss)), end: mb(rss.at(-1) ?? 0) },
    pool,
    readiness
  }
}

/** The base URLs of an app now listening on free ports of the loopback interface: its API and its ops port. */
export async function listen (app: Parameters<typeof listenOnBothPorts>[0]): Promise<LoadTarget> {
  return await listenOnBothPorts(app, { host: '127.0.0.1', port: 0, opsPort: 0 })
}

interface T { ok: (v: unknown, m: string) => void, equal: (a: unknown, b: unknown, m: string) => void, comment: (...m: unknown[]) => void }

/** What every load test asserts: no 5xx, no failed connection, the pool and readiness held, memory levelled off (generously). */
export function assertHealthy (t: T, name: string, report: LoadReport): void {
  t.comment(`${name}: ${JSON.stringify(report)}`)
  t.equal(report.fiveHundreds, 0, `${name}: no 5xx in ${report.requests} requests (${report.rps}/s, p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms)`)
  t.equal(report.errors, 0, `${name}: no failed connection`)
  t.ok(report.pool.peakOpen <= report.pool.max, `${name}: the pool stayed within its ${report.pool.max} connections (peak ${report.pool.peakOpen} open, ${report.pool.peakActive} active)`)
  t.ok(report.pool.slowestProbeMs < 5000, `${name}: the pool always answered (slowest probe ${report.pool.slowestProbeMs} ms)`)
  t.equal(report.readiness.notReady, 0, `${name}: ready throughout (${report.readiness.probes} probes)`)
  t.ok(report.rssMb.lastThird <= report.rssMb.firstThird * 1.5 + 128, `${name}: memory levels off (RSS ${report.rssMb.firstThird} MB in the first third, ${report.rssMb.lastThird} MB in the last, peak ${report.rssMb.peak} MB)`)
}

/** Events in the service's streams (sequence numbers, so a size limit dropping old ones hides none) against its outbox rows, once the relay has caught up. */
export async function assertNoLostEvent (t: T, name: string, sql: postgres.Sql, schema: string, prefix: string): Promise<{ written: number, published: number }> {
  await waitFor(async () => (await sql.unsafe(`select count(*)::int as n from "${schema}".outbox where published_at is null`))[0]!.n === 0, { timeoutMs: 60_000, what: `${name}: the relay caught up` })
  const types = (await sql.unsafe(`select type, count(*)::int as n from "${schema}".outbox group by type`)) as unknown as Array<{ type: string, n: number }>
  const written = types.reduce((a, r) => a + r.n, 0)
  const nc = await connect({ servers: NATS_URL })
  try {
    const jsm = await jetstreamManager(nc)
    const streams = [...new Set(types.map((r) => streamFor(prefix, r.type)))]
    let published = 0
    for (const s of streams) published += (await jsm.streams.info(s)).state.last_seq
    t.equal(published, written, `${name}: every event written to the outbox is in its stream, once (${written} events)`)
    return { written, published }
  } finally { await nc.close() }
}
