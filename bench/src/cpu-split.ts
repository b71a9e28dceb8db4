// Where a measurement's CPU went, per process, from /proc: the named processes, the Postgres backends of their
// pools (each pool names its connections <service>-<pid>-…), and the whole machine. Read right around each
// side's load runs (warm-ups included), summed over the rounds, and divided by the requests the server counted
// in the same span (its /metrics), so the figures are CPU per request whatever the window.
import { machineTicks, processCpuMs } from './cpu.js'
import type { Pair } from './measure.js'
import type { Platform } from './platform.js'

export interface Watched {
  name: string
  pid: number | undefined
  /** The service name its pool puts in application_name, to count its Postgres backends too. */
  poolName?: string
}

interface Snapshot { cpu: Map<string, number>, backends: Map<string, Map<number, number>>, requests: number, ticks: { busy: number, all: number } }

/** Requests a process's routes under `routePrefix` answered so far, from its /metrics. */
async function requestsServed (opsUrl: string, routePrefix: string): Promise<number> {
  const text = await (await fetch(`${opsUrl}/metrics`)).text()
  let n = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('http_request_duration_seconds_count{') && line.includes(`route="${routePrefix}`)) n += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return n
}

export interface CpuSplit {
  observe: (side: keyof Pair, moment: 'start' | 'end') => Promise<void>
  /** One line per side: µs of CPU per request by process, and how busy the machine was. */
  notes: () => Record<keyof Pair, string>
}

/** `servers`: for each side, the ops URL whose /metrics count its requests and the route prefix counted. */
export function createCpuSplit (p: Platform, watched: Watched[], servers: Record<keyof Pair, { opsUrl: string, routePrefix: string }>): CpuSplit {
  const zero = (): { cpu: Map<string, number>, requests: number, busy: number, all: number } => ({ cpu: new Map(), requests: 0, busy: 0, all: 0 })
  const totals = { measured: zero(), baseline: zero() }
  const snapshot = async (side: keyof Pair): Promise<Snapshot> => {
    const cpu = new Map(watched.map((w) => [w.name, w.pid === undefined ? 0 : processCpuMs(w.pid)]))
    const backends = new Map<string, Map<number, number>>()
    for (const w of watched) {
      if (w.poolName === undefined || w.pid === undefined) continue
      const rows = await p.sql<Array<{ pid: number }>>`select pid from pg_stat_activity where application_name like ${`${w.poolName}-${w.pid}-%`}`
      backends.set(w.name, new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)])))
    }
    return { cpu, backends, requests: await requestsServed(servers[side].opsUrl, servers[side].routePrefix), ticks: machineTicks() }
  }
  let started: Snapshot | undefined
  return {
    observe: async (side, moment) => {
      const now = await snapshot(side)
      if (moment === 'start') { started = now; return }
      const [t, s] = [totals[side], started!]
      for (const [name, ms] of now.cpu) t.cpu.set(name, (t.cpu.get(name) ?? 0) + ms - (s.cpu.get(name) ?? 0))
      // A backend opened during the run counts whole; one closed during it is missed (pools keep theirs 30 s idle).
      for (const [name, pids] of now.backends) {
        const before = s.backends.get(name) ?? new Map<number, number>()
        const used = [...pids].reduce((a, [pid, ms]) => a + ms - (before.get(pid) ?? 0), 0)
        t.cpu.set(`${name}'s Postgres`, (t.cpu.get(`${name}'s Postgres`) ?? 0) + used)
      }
      t.requests += now.requests - s.requests
      t.busy += now.ticks.busy - s.ticks.busy
      t.all += now.ticks.all - s.ticks.all
    },
    notes: () => {
      const line = (side: keyof Pair): string => {
        const t = totals[side]
        const per = [...t.cpu].filter(([, ms]) => ms > 0).map(([name, ms]) => `${name} ${(1000 * ms / Math.max(1, t.requests)).toFixed(0)}`).join(', ')
        return `CPU per request (µs, ${t.requests} requests, warm-ups included): ${per}; machine ${(100 * t.busy / Math.max(1, t.all)).toFixed(0)}% busy (both cores, every process)`
      }
      return { measured: line('measured'), baseline: line('baseline') }
    }
  }
}
