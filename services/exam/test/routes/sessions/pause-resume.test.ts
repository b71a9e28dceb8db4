// Pausing and resuming: a session goes on with exactly the adaptive state it had (the same next item, theta, SE
// and exposure draws), whichever replica or restarted process resumes it, and its clock stands still meanwhile.
import t from 'tap'
import { contractFor } from '@dreamseed/events'
import type { ExamApp } from '../../../src/app.js'
import { adaptiveBank, buildExam, importBank, type ExamContext } from '../../helper.js'
import { answerAt, assignedExam, DAY, eventsOf, footprint, MINUTE, post, school, testClock, walkOf, type Headers } from './pausing.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a step as the API returns it (JSON)
interface Walk { given: string[], last: any }

/** Answers from the step given on, each request sent to the app `route` names, until the session ends. */
async function walkOn (ctx: ExamContext, route: () => ExamApp, headers: Headers, sessionId: string, from: Walk): Promise<Walk> {
  let step = from.last
  const given = [...from.given]
  while (step.item !== null && given.length < 40) {
    given.push(step.item.id)
    const res = await answerAt(ctx, route(), headers, sessionId, step.item, step.item.position)
    if (res.statusCode !== 200) throw new Error(`answer refused: ${res.body}`)
    step = res.json()
  }
  return { given, last: step }
}

/** Starts the exam and answers `n` items on `app`. */
async function startAndAnswer (ctx: ExamContext, app: ExamApp, headers: Headers, examId: string, n: number): Promise<{ sessionId: string, walk: Walk }> {
  const started = await post(app, `/exam/exams/${examId}/sessions`, headers)
  if (started.statusCode !== 201) throw new Error(started.body)
  const sessionId = started.json().session.id as string
  let walk: Walk = { given: [], last: started.json() }
  for (let i = 0; i < n; i++) {
    walk.given.push(walk.last.item.id)
    walk = { given: walk.given, last: (await answerAt(ctx, app, headers, sessionId, walk.last.item, i)).json() }
  }
  return { sessionId, walk }
}

t.test('a session paused and resumed on another replica, or after a restart, takes the very items, theta and SE of one never paused', async (t) => {
  const clock = testClock()
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { newSeed: () => 20260302, now: clock.now })
  const s = await school(ctx, { students: 3, items: adaptiveBank(60) })
  await importBank(ctx, s.teacher.headers, adaptiveBank(8, { status: 'pretest' }))
  // Randomesque, pretest draws and Sympson-Hetter draws all come from the session's seed: the state a pause must keep.
  const examId = await assignedExam(ctx, s, {
    kind: 'adaptive', subject: 'math', randomesque: 3, pretestRate: 0.3, contentTargets: { algebra: 1, geometry: 1 },
    sympsonHetter: Object.fromEntries(s.itemIds.slice(15, 45).map((id) => [id, 0.5])), stopping: { minItems: 12, maxItems: 12 }
  })
  const [never, replicas, restart] = s.students as [typeof s.student, typeof s.student, typeof s.student]
  const a = ctx.app
  const b = await ctx.replica()

  const first = await startAndAnswer(ctx, a, never.headers, examId, 0)
  const uninterrupted = await walkOn(ctx, () => a, never.headers, first.sessionId, first.walk)
  t.ok(uninterrupted.given.length >= 12, `${uninterrupted.given.length} items without a pause`)

  // Paused on B after three answers on A, resumed on A, and answered on both in turn.
  const second = await startAndAnswer(ctx, a, replicas.headers, examId, 3)
  const shownBefore = second.walk.last.item
  const paused = await post(b, `/exam/sessions/${second.sessionId}/pause`, replicas.headers)
  t.equal(paused.statusCode, 200, paused.body)
  t.match(paused.json(), { session: { status: 'paused', pauseReason: 'student', pausedAt: '2026-03-02T09:00:00.000Z' }, item: null })
  const current = await a.inject({ method: 'GET', url: `/exam/sessions/${second.sessionId}/current`, headers: replicas.headers })
  t.match(current.json(), { session: { status: 'paused' }, item: null }, 'a paused session shows no item to answer')
  const before = await footprint(ctx, second.sessionId)
  const refused = await answerAt(ctx, a, replicas.headers, second.sessionId, shownBefore, 3)
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().error.code, 'EXAM_SESSION_PAUSED', 'A, which held the session in progress, refuses the answer')
  t.same(await footprint(ctx, second.sessionId), before, 'and writes nothing')
  clock.advance(2 * DAY)
  const resumed = await post(a, `/exam/sessions/${second.sessionId}/resume`, replicas.headers)
  t.equal(resumed.statusCode, 200, resumed.body)
  t.same(resumed.json().item, shownBefore, 'resumed on A with the item that was shown')
  t.match(resumed.json().session, { status: 'in_progress', pausedAt: null, pausedMs: 2 * DAY })
  let n = 0
  const alternating = await walkOn(ctx, () => (n++ % 2 === 0 ? b : a), replicas.headers, second.sessionId, second.walk)

  // Paused, then the service restarted: a new process on the same database resumes it.
  const third = await startAndAnswer(ctx, a, restart.headers, examId, 4)
  t.equal((await post(a, `/exam/sessions/${third.sessionId}/pause`, restart.headers)).statusCode, 200)
  const restarted = await ctx.replica()
  await a.close()
  await b.close()
  clock.advance(3 * DAY)
  const afterRestart = await post(restarted, `/exam/sessions/${third.sessionId}/resume`, restart.headers)
  t.equal(afterRestart.statusCode, 200, afterRestart.body)
  t.same(afterRestart.json().item, third.walk.last.item, 'the restarted service resumes with the item that was shown')
  const afterPause = await walkOn(ctx, () => restarted, restart.headers, third.sessionId, third.walk)

  for (const [name, walk, id] of [['replicas', alternating, second.sessionId], ['restart', afterPause, third.sessionId]] as const) {
    t.same(walk.given, uninterrupted.given, `${name}: the same items in the same order`)
    t.same(walk.last.result, uninterrupted.last.result, `${name}: the same result`)
    t.same(await walkOf(ctx, id), await walkOf(ctx, first.sessionId), `${name}: the same theta and SE after every response`)
  }

  const [pausedEvent] = await eventsOf(ctx, second.sessionId, 'exam.session.paused')
  const [resumedEvent] = await eventsOf(ctx, second.sessionId, 'exam.session.resumed')
  t.match(pausedEvent!.envelope.data, { sessionId: second.sessionId, examId, organizationId: s.organizationId, studentId: replicas.userId, by: replicas.userId, reason: 'student', at: '2026-03-02T09:00:00.000Z' })
  t.match(resumedEvent!.envelope.data, { sessionId: second.sessionId, by: replicas.userId, reason: 'student', at: '2026-03-04T09:00:00.000Z', pausedMs: 2 * DAY, deadlineAt: null })
  t.same(contractFor('exam.session.paused', 1)!.check(pausedEvent!.envelope), [], 'the paused event keeps its contract')
  t.same(contractFor('exam.session.resumed', 1)!.check(resumedEvent!.envelope), [], 'the resumed event keeps its contract')
})

t.test('the clock stands still while a session is paused, whichever replica pauses and resumes it', async (t) => {
  const clock = testClock()
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: clock.now })
  const a = ctx.app
  const b = await ctx.replica()
  const s = await school(ctx)
  const examId = await assignedExam(ctx, s, { kind: 'adaptive', subject: 'math', stopping: { maxItems: 10, timeLimitSeconds: 600 } })
  const { sessionId, walk } = await startAndAnswer(ctx, a, s.student.headers, examId, 0)
  t.equal(walk.last.session.deadlineAt, '2026-03-02T09:10:00.000Z')
  clock.advance(2 * MINUTE)
  const one = (await answerAt(ctx, a, s.student.headers, sessionId, walk.last.item, 0)).json()
  clock.advance(MINUTE)
  const paused = await post(b, `/exam/sessions/${sessionId}/pause`, s.teacher.headers)
  t.equal(paused.statusCode, 200, paused.body)
  t.match(paused.json().session, { status: 'paused', pauseReason: 'teacher', pausedAt: '2026-03-02T09:03:00.000Z' })

  clock.advance(60 * MINUTE)
  t.equal(await a.sessionExpiry()!.runOnce(), 0, 'the expiry job leaves a paused session past its first deadline alone')
  t.equal((await ctx.sql`select status from exam.sessions where id = ${sessionId}`)[0]!.status, 'paused')
  const resumed = await post(b, `/exam/sessions/${sessionId}/resume`, s.teacher.headers)
  t.equal(resumed.statusCode, 200, resumed.body)
  t.match(resumed.json().session, { status: 'in_progress', deadlineAt: '2026-03-02T10:10:00.000Z', pausedMs: 60 * MINUTE }, 'the deadline moved by the hour paused')
  t.equal(resumed.json().item.id, one.item.id)

  clock.advance(6 * MINUTE)
  const inTime = await answerAt(ctx, a, s.student.headers, sessionId, one.item, 1)
  t.equal(inTime.statusCode, 200, `9 minutes of the 10 used, an hour after the first deadline: ${inTime.body}`)
  clock.advance(2 * MINUTE)
  const late = await answerAt(ctx, a, s.student.headers, sessionId, inTime.json().item, 2)
  t.equal(late.json().error.code, 'EXAM_SESSION_TIME_UP', 'and the 11th minute is past the time limit')
  const [row] = await ctx.sql`select status, stop_reason, completed_at, response_count from exam.sessions where id = ${sessionId}`
  t.match(row, { status: 'completed', stop_reason: 'time-limit', response_count: 2 })
  t.equal(row!.completed_at.toISOString(), '2026-03-02T10:11:00.000Z')
})
