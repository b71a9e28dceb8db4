// The capacity scenario: how many students this machine serves at once, everything on it. Students arrive at
// a steady rate until a step's level is reached and keep answering in an open loop (load/open-loop.ts); each
// step is then measured for a window, and the ramp stops at the first step whose answer p99 passes 100 ms or
// whose freshness p99 (an answer's 200 until the student's progress in analytics counts it) passes 1 s. The
// figure is the largest step that held both. CPU per process is read from /proc around each window, and the
// load process's own CPU and schedule lag say whether the generator, not the platform, was the limit.
import { loadavg } from 'node:os'
import { readdirSync, readFileSync } from 'node:fs'
import type { Platform } from '../platform.js'
import { machineTicks, processCpuMs } from '../cpu.js'
import { summarize, type OpenLoopStats } from '../load/jobs.js'
import type { Measure, Row } from '../report.js'
import { settle } from '../settle.js'
import type { CapacityReport, CapacityStep } from '../capacity-table.js'
import { CLASSROOM_SIZE, createPopulation } from './capacity-population.js'

type Log = (line: string) => void

const LIMITS = { answerP99Ms: 100, freshnessP99Ms: 1000, lagP99Ms: 20, loadCpuPercent: 80 }
const TARGET_STUDENTS = 20_000
const FULL_STEPS = [1000, 2000, 4000, 6000, 8000, 12_000, 16_000, 20_000, 24_000, 28_000, 32_000]
const SHORT_STEPS = [100, 200]
const THINK_MEAN_S = 20
const TEACHER_POLL_S = 10
/** Adaptive exams of a modest length, so students move on to their next session during a run (starts count too). */
const MAX_ITEMS = 30
const EXAMS = 4
/** Every answer's timeTakenMs: the freshness probe reads the student's timeSpentMs as answers × this. */
const ANSWER_TIME_MS = 1000

function steps (short: boolean): number[] {
  const raw = process.env.BENCH_CAPACITY_STEPS
  if (raw === undefined || raw === '') return short ? SHORT_STEPS : FULL_STEPS
  const parsed = raw.split(',').map((s) => Number(s.trim()))
  if (parsed.length === 0 || parsed.some((x) => !Number.isInteger(x) || x <= 0) || parsed.some((x, i) => i > 0 && x <= parsed[i - 1]!)) {
    throw new Error(`BENCH_CAPACITY_STEPS must be increasing positive integers separated by commas (got ${JSON.stringify(raw)})`)
  }
  return parsed
}

const seconds = (name: string, fallback: number): number => {
  const raw = process.env[name]
  const value = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds (got ${JSON.stringify(raw)})`)
  return value
}

/** Processes by their executable's name (/proc/<pid>/comm): the shared nats-server and redis-server. */
function pidsNamed (name: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try { return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === name } catch { return false }
  }).map(Number)
}

interface CpuSnapshot { at: number, byName: Map<string, Map<number, number>>, bench: number, ticks: { busy: number, all: number } }

/** CPU time so far of every process the capacity figure depends on, by the name its column has. */
async function cpuSnapshot (p: Platform): Promise<CpuSnapshot> {
  // Every backend of the bench's database (the services' pools and the bench's own); Postgres' background
  // processes serve every database on the machine and are left out.
  const backends = await p.sql<Array<{ pid: number }>>`select pid from pg_stat_activity where datname = current_database()`
  const groups: Record<string, number[]> = {
    auth: [p.auth.child.pid!],
    exam: [p.exam.child.pid!],
    analytics: [p.analytics.child.pid!],
    notification: [p.notification.child.pid!],
    postgres: backends.map((b) => b.pid),
    nats: pidsNamed('nats-server'),
    redis: pidsNamed('redis-server'),
    load: [p.load.pid()!]
  }
  const byName = new Map(Object.entries(groups).map(([name, pids]) => [name, new Map(pids.map((pid) => [pid, processCpuMs(pid)]))]))
  const usage = process.cpuUsage()
  return { at: performance.now(), byName, bench: (usage.user + usage.system) / 1000, ticks: machineTicks() }
}

function cpuBetween (a: CpuSnapshot, b: CpuSnapshot): { cpu: Record<string, number>, machineBusy: number } {
  const wallMs = b.at - a.at
  const cpu: Record<string, number> = {}
  for (const [name, pids] of b.byName) {
    // A process that started during the window (a new pool connection) counts whole.
    const ms = [...pids].reduce((sum, [pid, now]) => sum + now - (a.byName.get(name)?.get(pid) ?? 0), 0)
    cpu[name] = (100 * ms) / wallMs
  }
  cpu.bench = (100 * (b.bench - a.bench)) / wallMs
  const all = b.ticks.all - a.ticks.all
  return { cpu, machineBusy: all === 0 ? 0 : (100 * (b.ticks.busy - a.ticks.busy)) / all }
}

function stepOf (students: number, stats: OpenLoopStats, cpu: { cpu: Record<string, number>, machineBusy: number }, loadAverage: number): CapacityStep {
  const answers = summarize(stats.answers.samples)
  const starts = summarize(stats.starts.samples)
  const reads = summarize(stats.reads.samples)
  const fresh = summarize(stats.freshness)
  const lag = summarize(stats.lag)
  const s = stats.elapsedS
  const step: CapacityStep = {
    students: stats.activeStudents,
    teachers: stats.activeTeachers,
    holdS: s,
    answersPerS: stats.answers.ok / s,
    answerP50: answers.p50,
    answerP99: answers.p99,
    startsPerS: stats.starts.ok / s,
    startP99: starts.p99,
    sessionsStarted: stats.sessionsStarted,
    readsPerS: stats.reads.ok / s,
    readP99: reads.p99,
    freshnessP50: fresh.p50,
    freshnessP99: fresh.p99,
    probes: stats.freshness.length + stats.stale,
    stale: stats.stale,
    errors: stats.errors,
    statuses: stats.statusCounts,
    lagP99: lag.p99,
    loadEventLoopUtilization: stats.eventLoopUtilization,
    cpu: cpu.cpu,
    machineBusy: cpu.machineBusy,
    loadAverage,
    held: false,
    verdict: ''
  }
  const invalid = [
    step.lagP99 > LIMITS.lagP99Ms ? `generator lag p99 ${step.lagP99.toFixed(0)} ms` : '',
    (step.cpu.load ?? 0) > LIMITS.loadCpuPercent ? `generator CPU ${(step.cpu.load ?? 0).toFixed(0)} %` : ''
  ].filter(Boolean)
  const missed = [
    stats.answers.ok === 0 ? 'no answer' : '',
    step.answerP99 > LIMITS.answerP99Ms ? `answer p99 ${step.answerP99.toFixed(0)} ms` : '',
    step.probes === 0 ? 'no freshness probe' : '',
    step.freshnessP99 > LIMITS.freshnessP99Ms ? `freshness p99 ${step.freshnessP99.toFixed(0)} ms` : '',
    step.stale > 0 ? `${step.stale} stale` : '',
    step.errors > 0 ? `${step.errors} errors` : '',
    students !== step.students ? `${step.students} of ${students} students active` : '',
    stats.reads.ok === 0 ? 'no teacher read' : ''
  ].filter(Boolean)
  step.held = invalid.length === 0 && missed.length === 0
  step.verdict = invalid.length > 0 ? `INVALID (${[...invalid, ...missed].join(', ')})` : missed.length > 0 ? `over (${missed.join(', ')})` : 'held'
  return step
}

export async function capacity (p: Platform, log: Log): Promise<{ row: Row, report: CapacityReport }> {
  const short = p.options.short
  const levels = steps(short)
  const rampS = seconds('BENCH_CAPACITY_RAMP_S', short ? 1 : 10)
  const holdS = seconds('BENCH_CAPACITY_HOLD_S', short ? 4 : 40)
  // After the arrivals, a pause before the window: their session starts are a burst the steady state does not have.
  const pauseS = short ? 1 : 5
  const probesPerS = short ? 5 : 10
  // The short setting's windows are a few seconds: teachers poll faster there, so that each window has reads.
  const teacherPollS = short ? 1 : TEACHER_POLL_S
  log(`capacity: open loop, steps ${levels.join(', ')} students, ${rampS} s arrivals + ${holdS} s measured each`)
  const population = await createPopulation(p, { bankSize: p.options.bankSize, exams: EXAMS, maxItems: MAX_ITEMS }, log)
  const done: CapacityStep[] = []
  try {
    for (const level of levels) {
      const added = await population.grow(level)
      if (done.length === 0) await settle(p, log)
      log(`  capacity step ${level}: ${added.students.length} students arriving over ${rampS} s`)
      await p.load.openLoopRamp({
        examUrl: p.exam.url, analyticsUrl: p.analytics.url, examIds: population.examIds, students: added.students, teachers: added.teachers,
        rampS, thinkMeanS: THINK_MEAN_S, teacherPollS, probesPerS, answerTimeMs: ANSWER_TIME_MS
      })
      await new Promise((resolve) => setTimeout(resolve, pauseS * 1000))
      const before = await cpuSnapshot(p)
      const stats = await p.load.openLoopHold(holdS)
      const after = await cpuSnapshot(p)
      // A step's level is rounded up to whole classrooms.
      const step = stepOf(population.students.length, stats, cpuBetween(before, after), loadavg()[0]!)
      done.push(step)
      log(`  ${step.students} students: ${step.answersPerS.toFixed(0)} answers/s, p99 ${step.answerP99.toFixed(1)} ms, freshness p99 ${step.freshnessP99.toFixed(0)} ms, lag p99 ${step.lagP99.toFixed(1)} ms, machine ${step.machineBusy.toFixed(0)} % busy: ${step.verdict}`)
      if (!step.held) break
    }
  } finally {
    await p.load.openLoopStop()
  }
  await settle(p, log)
  return assemble(done, { rampS, holdS, probesPerS, teacherPollS })
}

function assemble (steps: CapacityStep[], s: { rampS: number, holdS: number, probesPerS: number, teacherPollS: number }): { row: Row, report: CapacityReport } {
  const held = steps.filter((x) => x.held)
  // Steps stop at the first one that did not hold, so the held ones are those before it.
  const best = held.at(-1)
  const first = steps[0]
  const figureText = best === undefined
    ? `below the first step (${first?.students ?? 0} students): ${first?.verdict ?? 'no step ran'}`
    : `${best.students} concurrent students held both limits${steps.length > held.length ? `; ${steps.at(-1)!.students} did not: ${steps.at(-1)!.verdict}` : '; the last step held too: raise BENCH_CAPACITY_STEPS'}`
  const report: CapacityReport = {
    figure: best?.students ?? null,
    figureText,
    limits: LIMITS,
    settings: { thinkMeanS: THINK_MEAN_S, teacherPollS: s.teacherPollS, classroomSize: CLASSROOM_SIZE, maxItems: MAX_ITEMS, rampS: s.rampS, holdS: s.holdS, probesPerS: s.probesPerS },
    steps
  }
  const shown = best ?? first
  const measured: Measure | null = shown === undefined
    ? null
    : { throughput: shown.answersPerS, unit: 'answers/s', p50: shown.answerP50, p95: Number.NaN, p99: shown.answerP99, errors: shown.errors, count: Math.round(shown.answersPerS * shown.holdS), ...(shown.errors > 0 ? { statuses: shown.statuses } : {}) }
  const freshness: Measure | null = shown === undefined
    ? null
    : { throughput: shown.probes / shown.holdS, unit: 'probes/s', p50: shown.freshnessP50, p95: Number.NaN, p99: shown.freshnessP99, errors: shown.stale, count: shown.probes - shown.stale }
  const row: Row = {
    id: 'capacity',
    scenario: `open-loop capacity: ${best === undefined ? 'below the first step' : `${best.students} students`}`,
    measured,
    baselineName: 'analytics freshness, same step',
    baseline: freshness,
    ratio: null,
    target: { text: `≥ ${TARGET_STUDENTS} students`, met: (best?.students ?? 0) >= TARGET_STUDENTS },
    counts: { students: best?.students ?? 0, steps: steps.length, heldSteps: held.length },
    notes: [
      `${figureText}; measured columns are the answers of ${best === undefined ? 'the first step' : 'the largest step that held'}, the baseline columns its freshness probes (answer's 200 → the student's progress in analytics counts it); per-step table below`
    ]
  }
  return { row, report }
}
