// What the bench asks its load process to do, and what it answers: plain data, since it crosses a process
// boundary. Each profile names a request shape the load process knows how to build.
export type Profile =
  | { kind: 'register', tag: string, password: string }
  | { kind: 'password', path: string, password: string }
  | { kind: 'login', emails: string[], password: string }
  | { kind: 'get', paths: string[], tokens?: string[] }
  | { kind: 'insert', path: string }
  /** `replicaHeader`: the response header naming the replica behind a proxy; 2xx responses are counted by it (servedBy). */
  | { kind: 'answer', students: Array<{ userId: string, token: string }>, examIds: string[], replicaHeader?: string }

export interface LoadJob {
  /** A label for logs. */
  name: string
  url: string
  connections: number
  durationS: number
  warmupS: number
  profile: Profile
}

/** An open-loop run: registrations sent at an even rate whatever the answers do, each address carrying its send time. */
export interface PacedJob {
  name: string
  url: string
  rate: number
  durationS: number
  tag: string
  password: string
}

export interface LoadResult {
  name: string
  /** Completed 2xx responses. */
  ok: number
  errors: number
  statusCounts: Record<string, number>
  elapsedS: number
  /** 2xx responses per second over the measured time. */
  throughput: number
  latencyMs: { p50: number, p95: number, p99: number, mean: number, max: number }
  /** Requests that were not answers (a session started when the previous one ended), counted in ok. */
  extra?: Record<string, number>
  /** 2xx responses of the measured window by the replica that served them (a profile with `replicaHeader`). */
  servedBy?: Record<string, number>
  /** Every 2xx latency, so rounds can be merged into exact percentiles. */
  samples?: number[]
}

/** Several rounds of one measurement as if they were one: counts and times added, percentiles over all. */
export function mergeResults (results: LoadResult[]): LoadResult {
  const samples = results.flatMap((r) => r.samples ?? [])
  const statusCounts = addCounts(results.map((r) => r.statusCounts))
  const extra = addCounts(results.map((r) => r.extra ?? {}))
  const servedBy = addCounts(results.map((r) => r.servedBy ?? {}))
  const ok = results.reduce((a, r) => a + r.ok, 0)
  const elapsedS = results.reduce((a, r) => a + r.elapsedS, 0)
  return {
    name: results[0]?.name ?? '', ok, errors: results.reduce((a, r) => a + r.errors, 0), statusCounts, elapsedS, throughput: elapsedS > 0 ? ok / elapsedS : 0, latencyMs: summarize(samples), extra,
    ...(results.some((r) => r.servedBy !== undefined) ? { servedBy } : {})
  }
}

function addCounts (counts: Array<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {}
  for (const c of counts) for (const [k, v] of Object.entries(c)) sum[k] = (sum[k] ?? 0) + v
  return sum
}

/** The capacity scenario's open loop: students who answer at random times and teachers who poll their classroom. */
export interface OpenLoopStudent { userId: string, token: string }
export interface OpenLoopTeacher { classroomId: string, token: string }

/** Adds arrivals to the students and teachers already active, evenly spread over `rampS`; answers when the last has arrived. */
export interface OpenLoopRamp {
  examUrl: string
  analyticsUrl: string
  examIds: string[]
  students: OpenLoopStudent[]
  teachers: OpenLoopTeacher[]
  rampS: number
  /** Mean of the exponential time between a student's answer (or start) and their next answer. */
  thinkMeanS: number
  teacherPollS: number
  /** Freshness probes started per second (on average), each on a random answer just recorded. */
  probesPerS: number
  /** The `timeTakenMs` every answer carries: analytics' timeSpentMs for a student is this times their recorded answers. */
  answerTimeMs: number
}

/** What the active students and teachers did during one window (responses completed in it). */
export interface OpenLoopStats {
  elapsedS: number
  activeStudents: number
  activeTeachers: number
  answers: { ok: number, samples: number[] }
  starts: { ok: number, samples: number[] }
  reads: { ok: number, samples: number[] }
  /** Session starts answered since the loop began (the window rarely has any: sessions last 30 answers). */
  sessionsStarted: number
  /** ms from an answer's 200 until the student's progress in analytics counts it; stale probes are in `stale`, not here. */
  freshness: number[]
  stale: number
  /** How late requests left against their schedule (ms). */
  lag: number[]
  errors: number
  statusCounts: Record<string, number>
  /** Students who finished every exam and stopped. */
  finished: number
  /** The load process's own event loop: the share of the window it was busy (0–1). */
  eventLoopUtilization: number
  /** Requests in flight at the end of the window. */
  inFlight: number
}

export type WorkerRequest =
  | { id: number, type: 'load', job: LoadJob }
  | { id: number, type: 'paced', job: PacedJob }
  | { id: number, type: 'open-loop-ramp', job: OpenLoopRamp }
  | { id: number, type: 'open-loop-hold', job: { holdS: number } }
  | { id: number, type: 'open-loop-stop' }
export type WorkerReply = { id: number, ok: true, result: unknown } | { id: number, ok: false, error: string }

export function percentile (sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]!
}

export function summarize (latencies: number[]): LoadResult['latencyMs'] {
  const sorted = Float64Array.from(latencies).sort()
  const sum = latencies.reduce((a, b) => a + b, 0)
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: latencies.length === 0 ? 0 : sum / latencies.length,
    max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!
  }
}
