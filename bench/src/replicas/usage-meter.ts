// Where scenario 4p's time went, each side's load runs summed: the exam replicas' CPU and the requests they
// answered (their own /metrics), the Postgres backends of exam's pools and HAProxy's CPU (from /proc), and how
// busy the whole machine was. Read around each run, so settling between runs is left out.
import { machineTicks, processCpuMs } from '../cpu.js'
import type { Pair } from '../measure.js'
import type { Platform } from '../platform.js'

export interface Usage {
  /** Requests to exam's routes the replicas answered (warm-ups included). */
  requests: number
  examCpuMs: number
  postgresCpuMs: number
  proxyCpuMs: number
  busyTicks: number
  allTicks: number
}

interface Snapshot { requests: number, examCpuMs: number, postgres: Map<number, number>, proxyCpuMs: number, ticks: { busy: number, all: number } }

/** A replica's CPU so far and the requests to exam's routes it has answered, from its /metrics. */
async function replicaCounters (url: string): Promise<{ cpuMs: number, requests: number }> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const value = (line: string): number => Number(line.slice(line.lastIndexOf(' ') + 1))
  let cpuMs = 0
  let requests = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('process_cpu_seconds_total ')) cpuMs = 1000 * value(line)
    if (line.startsWith('http_request_duration_seconds_count{') && line.includes('route="/exam/')) requests += value(line)
  }
  return { cpuMs, requests }
}

export interface UsageMeter {
  observe: (side: keyof Pair, moment: 'start' | 'end') => Promise<void>
  usage: Record<keyof Pair, Usage>
}

/** `replicaOpsUrls`: where each replica's /metrics answers (its ops port). */
export function createUsageMeter (p: Platform, replicaOpsUrls: string[], proxyPid: number | undefined): UsageMeter {
  const zero = (): Usage => ({ requests: 0, examCpuMs: 0, postgresCpuMs: 0, proxyCpuMs: 0, busyTicks: 0, allTicks: 0 })
  const usage = { measured: zero(), baseline: zero() }
  const snapshot = async (): Promise<Snapshot> => {
    const replicas = await Promise.all(replicaOpsUrls.map(replicaCounters))
    // Every exam process's pool names its connections exam-<pid>-…: the replicas' and the bench exam's (idle here).
    const backends = await p.sql<Array<{ pid: number }>>`select pid from pg_stat_activity where datname = current_database() and application_name like 'exam-%'`
    return {
      requests: replicas.reduce((a, r) => a + r.requests, 0),
      examCpuMs: replicas.reduce((a, r) => a + r.cpuMs, 0),
      postgres: new Map(backends.map((b) => [b.pid, processCpuMs(b.pid)])),
      proxyCpuMs: proxyPid === undefined ? 0 : processCpuMs(proxyPid),
      ticks: machineTicks()
    }
  }
  let started: Snapshot | undefined
  return {
    usage,
    observe: async (side, moment) => {
      const now = await snapshot()
      if (moment === 'start') { started = now; return }
      const [u, s] = [usage[side], started!]
      u.requests += now.requests - s.requests
      u.examCpuMs += now.examCpuMs - s.examCpuMs
      // A backend opened during the run counts whole; one closed during it is missed (pools keep theirs 30 s idle).
      u.postgresCpuMs += [...now.postgres].reduce((a, [pid, ms]) => a + ms - (s.postgres.get(pid) ?? 0), 0)
      u.proxyCpuMs += now.proxyCpuMs - s.proxyCpuMs
      u.busyTicks += now.ticks.busy - s.ticks.busy
      u.allTicks += now.ticks.all - s.ticks.all
    }
  }
}
