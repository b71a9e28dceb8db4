// Where a measurement's CPU goes, per request answered: every process of the platform (their own CPU from
// /proc, the services' Postgres backends told apart by the application name their pools give them), the load
// process and nats-server (the machine's, shared with whatever else runs: an upper bound). With both cores
// saturated a ratio follows the CPU per request of each side, so this says what costs what, on the measured
// side and the baseline's. Read right around each side's load runs (warm-ups included), summed over rounds.
import { setTimeout as sleep } from 'node:timers/promises'
import { machineTicks, pidNamed, processCpuMs } from './cpu.js'
import type { Pair } from './measure.js'
import type { Platform } from './platform.js'

/** Postgres backends by the service whose pool opened them (kit's database.ts names them <service>-<pid>-…). */
const BACKEND_OWNERS = ['auth', 'notification', 'exam', 'analytics', 'bench-baseline'] as const

interface Snapshot { processes: Record<string, number>, backends: Map<number, { owner: string, ms: number }>, requests: number, ticks: { busy: number, all: number } }

export interface Split {
  requests: number
  /** CPU ms by process ("pg:<service>" for a service's Postgres backends). */
  cpuMs: Record<string, number>
  busyTicks: number
  allTicks: number
}

/** The requests a side's count: those to `route` on the process behind `opsUrl`, or to every route under it with `prefix`. */
export interface CountedRoute { opsUrl: string, route: string, prefix?: boolean }

/** How many of those requests the process has answered, from its /metrics. */
async function answered ({ opsUrl, route, prefix }: CountedRoute): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text()
  const label = prefix === true ? `route="${route}` : `route="${route}"`
  let n = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('http_request_duration_seconds_count{') && line.includes(label)) n += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return n
}

/**
 * Waits (up to 10 s) until the given processes use under a tenth of a core. When a run ends, the requests still
 * in flight are dropped by the load process but their work goes on in the server (a password route's hashes: up
 * to 50 × 15 ms of CPU): without this, the next run, of the other side, would pay for them.
 */
export async function quietened (pids: Array<number | undefined>): Promise<void> {
  const alive = pids.filter((pid) => pid !== undefined)
  const used = (): number => alive.reduce((a, pid) => a + processCpuMs(pid), 0)
  const deadline = Date.now() + 10_000
  let before = used()
  while (Date.now() < deadline) {
    await sleep(200)
    const now = used()
    if (now - before < 20) return
    before = now
  }
}

/**
 * `routes`: the route each side's requests go to, counted on the process serving it; `quiet`: processes to wait
 * for (quietened) before each run starts.
 */
export function createCpuSplit (p: Platform, routes: Record<keyof Pair, CountedRoute>, quiet: Array<number | undefined> = []) {
  const nats = pidNamed('nats-server')
  const zero = (): Split => ({ requests: 0, cpuMs: {}, busyTicks: 0, allTicks: 0 })
  const split = { measured: zero(), baseline: zero() }
  const snapshot = async (side: keyof Pair): Promise<Snapshot> => {
    const processes: Record<string, number> = {}
    for (const proc of p.processes()) processes[proc.name] = proc.child.pid === undefined ? 0 : processCpuMs(proc.child.pid)
    const loadPid = p.load.pid()
    processes.load = loadPid === undefined ? 0 : processCpuMs(loadPid)
    if (nats !== undefined) processes['nats-server'] = processCpuMs(nats)
    const rows = await p.sql<Array<{ pid: number, name: string }>>`select pid, application_name as name from pg_stat_activity where datname = current_database()`
    const backends = new Map<number, { owner: string, ms: number }>()
    for (const r of rows) {
      const owner = BACKEND_OWNERS.find((o) => r.name.startsWith(`${o}-`))
      if (owner !== undefined) backends.set(r.pid, { owner: `pg:${owner}`, ms: processCpuMs(r.pid) })
    }
    return { processes, backends, requests: await answered(routes[side]), ticks: machineTicks() }
  }
  let started: Snapshot | undefined
  const observe = async (side: keyof Pair, moment: 'start' | 'end'): Promise<void> => {
    if (moment === 'start' && quiet.length > 0) await quietened(quiet)
    const now = await snapshot(side)
    if (moment === 'start') { started = now; return }
    const [s, into] = [started!, split[side]]
    const add = (name: string, ms: number): void => { into.cpuMs[name] = (into.cpuMs[name] ?? 0) + ms }
    for (const [name, ms] of Object.entries(now.processes)) add(name, ms - (s.processes[name] ?? 0))
    // A backend opened during the run counts whole; one closed during it is missed (pools keep theirs 30 s idle).
    for (const [pid, b] of now.backends) add(b.owner, b.ms - (s.backends.get(pid)?.ms ?? 0))
    into.requests += now.requests - s.requests
    into.busyTicks += now.ticks.busy - s.ticks.busy
    into.allTicks += now.ticks.all - s.ticks.all
  }
  return { observe, split }
}

/** "auth 21.3, pg:auth 2.1, … ms" per request, largest first, leaving out what rounds to nothing. */
export function describeSplit (s: Split): string {
  const per = Object.entries(s.cpuMs).map(([name, ms]) => [name, ms / Math.max(1, s.requests)] as const)
    .filter(([, ms]) => ms >= 0.05).sort((a, b) => b[1] - a[1])
  const total = per.reduce((a, [, ms]) => a + ms, 0)
  const busy = (100 * s.busyTicks / Math.max(1, s.allTicks)).toFixed(0)
  return `${total.toFixed(1)} ms CPU per request in these processes (${per.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ')}) over ${s.requests} requests, warm-ups included; the machine ${busy}% busy`
}
