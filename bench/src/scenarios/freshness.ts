// Scenario 6d, freshness: a student finishes an adaptive exam, and the bench times how long until the
// classroom's teacher sees it, in the classroom summary (the exam's completedBy) and in the classroom's
// ability chart (the SVG changes). The path is the whole platform's: exam's transaction and outbox relay,
// JetStream, analytics' consumer and its cache invalidation, and the read through the cache. "Under normal
// load": meanwhile other organizations' answers stream into analytics at BACKGROUND_RATE events/s.
// Students finish one after another, so each completion is told apart by the count it raises.
import { randomUUID } from 'node:crypto'
import { publishEnvelope } from '@dreamseed/events'
import type { Platform } from '../platform.js'
import { call, expectStatus, postJson } from '../http.js'
import { summarize } from '../load/jobs.js'
import { ratioOf, type Measure, type Row } from '../report.js'
import type { School } from '../school.js'
import { settle } from '../settle.js'
import { responseEnvelope } from './analytics.js'

type Log = (line: string) => void

/** exam.response.recorded events per second of other organizations while the samples are taken. */
const BACKGROUND_RATE = 100
/** How often the teacher's two reads are repeated while waiting. */
const POLL_MS = 5
const TARGET_MS = 1000

interface Step { session: { id: string }, item: { id: string, stem: string, options: string[] } | null }
interface Summary { exams?: Array<{ examId: string, completedBy: number }> }

export async function freshness (p: Platform, school: School, log: Log): Promise<Row> {
  const samples = Math.min(school.students.length, p.options.short ? 10 : 50)
  log(`6d session completed → visible to the teacher, ${samples} students in turn, ${BACKGROUND_RATE} other events/s meanwhile`)
  const exam = p.exam.url
  const created = expectStatus<{ id: string }>(await postJson(exam, '/exam/exams', { title: 'Bench freshness exam', kind: 'adaptive', subject: 'math', stopping: { maxItems: 3 } }, school.teacherToken), 201, 'create exam')
  expectStatus(await call(exam, 'PUT', `/exam/exams/${created.id}/classrooms/${school.classroomId}`, { token: school.teacherToken }), 204, 'assign exam')
  await settle(p, log)

  const summaryPath = `/analytics/classrooms/${school.classroomId}`
  const chartPath = `/analytics/classrooms/${school.classroomId}/ability-chart.svg?subject=math`
  const read = async <T>(path: string): Promise<T> => expectStatus<T>(await call(p.analytics.url, 'GET', path, { token: school.teacherToken }), 200, path)
  const completedBy = async (): Promise<number> => (await read<Summary>(summaryPath)).exams?.find((e) => e.examId === created.id)?.completedBy ?? 0

  const background = startBackground(p)
  const summaryMs: number[] = []
  const chartMs: number[] = []
  const answerMs: number[] = []
  let late = 0
  try {
    for (let k = 0; k < samples; k++) {
      const student = school.students[k]!
      let step = expectStatus<Step>(await call(exam, 'POST', `/exam/exams/${created.id}/sessions`, { token: student.token }), 201, 'start session')
      let chartBefore = await read<string>(chartPath)
      let finishedAt = 0
      while (step.item !== null) {
        chartBefore = await read<string>(chartPath)
        // The clock starts when the final answer leaves the student: it includes that answer's own latency.
        const sentAt = performance.now()
        step = expectStatus<Step>(await postJson(exam, `/exam/sessions/${step.session.id}/answers`, { itemId: step.item.id, optionIndex: correctOption(step.item), timeTakenMs: 2000 }, student.token), 200, 'answer')
        answerMs.push(performance.now() - sentAt)
        finishedAt = sentAt
      }
      let inSummary: number | undefined
      let inChart: number | undefined
      const deadline = performance.now() + 30_000
      while ((inSummary === undefined || inChart === undefined) && performance.now() < deadline) {
        const [count, svg] = await Promise.all([inSummary === undefined ? completedBy() : Promise.resolve(k + 1), inChart === undefined ? read<string>(chartPath) : Promise.resolve('')])
        const now = performance.now()
        if (inSummary === undefined && count >= k + 1) inSummary = now - finishedAt
        if (inChart === undefined && svg !== chartBefore) inChart = now - finishedAt
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
      if (inSummary === undefined || inChart === undefined) { late++; continue }
      summaryMs.push(inSummary)
      chartMs.push(inChart)
    }
  } finally {
    background.stop()
  }
  const both = summaryMs.map((s, i) => Math.max(s, chartMs[i]!))
  const l = summarize(both)
  const spanS = both.reduce((a, b) => a + b, 0) / 1000
  const measured: Measure = { throughput: spanS === 0 ? 0 : both.length / spanS, unit: 'views/s', p50: l.p50, p95: l.p95, p99: l.p99, errors: late, count: both.length }
  const a = summarize(answerMs)
  const baseline: Measure = { throughput: answerMs.length / (answerMs.reduce((x, y) => x + y, 0) / 1000 || 1), unit: 'req/s', p50: a.p50, p95: a.p95, p99: a.p99, errors: 0, count: answerMs.length }
  const s = summarize(summaryMs)
  const c = summarize(chartMs)
  return {
    id: '6d',
    scenario: 'session completed → teacher sees it',
    measured,
    baselineName: 'the answers themselves',
    baseline,
    ratio: ratioOf(measured, baseline),
    target: { text: 'p99 < 1 s', met: late === 0 && both.length === samples && l.p99 < TARGET_MS },
    counts: { samples, late, backgroundEvents: background.sent() },
    notes: [
      `${samples} students finish a 3-item adaptive exam one after another; from the moment the final answer is sent to the moment both the classroom summary (its completedBy for the exam) and the classroom's ability chart (a different SVG) show it, read as the teacher every ${POLL_MS} ms through analytics' cache; throughput columns are 1 / mean delay on both sides, so the ratio is the mean answer's latency over the mean delay until the teacher sees the result`,
      `summary alone p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms; chart alone p50 ${c.p50.toFixed(0)} ms, p99 ${c.p99.toFixed(0)} ms; ${background.sent()} exam.response.recorded events of another organization arrived meanwhile (${BACKGROUND_RATE}/s); baseline columns are the students' answer requests`
    ]
  }
}

/**
 * The bench bank's key (bankLines: "Bench question i" has option i % 4 correct). Answering every item right
 * moves the student's latest ability well above the random answers of scenario 5, so the chart must change.
 */
function correctOption (item: { stem: string, options: string[] }): number {
  const i = Number(/Bench question (\d+)/.exec(item.stem)?.[1] ?? 0)
  return i % item.options.length
}

/** Another organization's students answering: BACKGROUND_RATE events a second published to the EXAMS stream. */
function startBackground (p: Platform): { stop: () => void, sent: () => number } {
  const organizationId = randomUUID()
  const examId = randomUUID()
  const sessionId = randomUUID()
  const studentId = randomUUID()
  let n = 0
  const timer = setInterval(() => {
    for (let i = 0; i < BACKGROUND_RATE / 10; i++) {
      const position = n++
      void publishEnvelope(p.nats, p.options.eventsPrefix, responseEnvelope({ organizationId, examId, sessionId, studentId, itemId: randomUUID(), position })).catch(() => { n-- })
    }
  }, 100)
  return { stop: () => { clearInterval(timer) }, sent: () => n }
}
