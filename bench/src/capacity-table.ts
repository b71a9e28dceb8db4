// The capacity scenario's own table: one line per step of the ramp (what the open loop did while that many
// students were active, and where the CPU went), printed under the main table and kept in latest.json.

export interface CapacityStep {
  students: number
  teachers: number
  holdS: number
  answersPerS: number
  answerP50: number
  answerP99: number
  /** Session starts (a student arriving, or moving on to the next exam): requests too, apart from the answers. */
  startsPerS: number
  startP99: number
  /** Session starts answered since the first step began. */
  sessionsStarted: number
  readsPerS: number
  readP99: number
  freshnessP50: number
  freshnessP99: number
  probes: number
  /** Probes analytics never caught up with (30 s). */
  stale: number
  errors: number
  statuses: Record<string, number>
  /** How late the load process sent its requests against their schedule (ms). */
  lagP99: number
  loadEventLoopUtilization: number
  /** CPU per process over the window, % of one core. */
  cpu: Record<string, number>
  /** The whole machine's busy share over the window (all processes, ours and others'), %. */
  machineBusy: number
  loadAverage: number
  /** Within both limits, with no error, and measured by a generator that kept to its schedule. */
  held: boolean
  /** Why it did not hold, or why the step is not a valid measurement. */
  verdict: string
}

export interface CapacityReport {
  /** The most students of a step that held both limits; null when the first step did not. */
  figure: number | null
  figureText: string
  limits: { answerP99Ms: number, freshnessP99Ms: number, lagP99Ms: number, loadCpuPercent: number }
  settings: { thinkMeanS: number, teacherPollS: number, classroomSize: number, maxItems: number, rampS: number, holdS: number, probesPerS: number }
  steps: CapacityStep[]
}

const n = (x: number, digits = 0): string => Number.isFinite(x) ? x.toFixed(digits) : '—'

export const CPU_COLUMNS = ['auth', 'exam', 'analytics', 'notification', 'postgres', 'nats', 'redis', 'load', 'bench']

export function formatCapacity (c: CapacityReport): string {
  const header = ['students', 'answers/s', 'p50 ms', 'p99 ms', 'starts/s', 'reads/s', 'read p99', 'fresh p50', 'fresh p99', 'stale', 'err', 'lag p99', ...CPU_COLUMNS.map((k) => `${k} %`), 'machine %', 'load', 'verdict']
  const lines = c.steps.map((s) => [
    String(s.students), n(s.answersPerS, 1), n(s.answerP50, 1), n(s.answerP99, 1), n(s.startsPerS, 1), n(s.readsPerS, 1), n(s.readP99, 1), n(s.freshnessP50), n(s.freshnessP99), String(s.stale), String(s.errors), n(s.lagP99, 1),
    ...CPU_COLUMNS.map((k) => n(s.cpu[k] ?? 0)), n(s.machineBusy), n(s.loadAverage, 1), s.verdict
  ])
  const all = [header, ...lines]
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i]!.length)))
  const render = (l: string[]): string => l.map((cell, i) => i === l.length - 1 ? cell : cell.padStart(widths[i]!)).join('  ').trimEnd()
  return [
    `capacity: ${c.figureText} (limits: answer p99 ≤ ${c.limits.answerP99Ms} ms, freshness p99 ≤ ${c.limits.freshnessP99Ms} ms; a step is valid while the load process's schedule lag p99 ≤ ${c.limits.lagP99Ms} ms and its CPU ≤ ${c.limits.loadCpuPercent} % of a core)`,
    `  each student answers at exponential intervals (mean ${c.settings.thinkMeanS} s) after their last response, ${c.settings.classroomSize} students and 1 teacher per classroom, the teacher reading its summary every ${c.settings.teacherPollS} s; adaptive exams of ${c.settings.maxItems} items; ${c.settings.rampS} s of arrivals then ${c.settings.holdS} s measured per step; ~${c.settings.probesPerS} freshness probes/s; CPU in % of one core over the measured window`,
    render(header),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...lines.map(render)
  ].join('\n')
}
