// The server's part: a session idle past EXAM_SUSPEND_AFTER_S is suspended by the expiry job, its clock stopped
// from its last activity; a paused or suspended session resumes within EXAM_RESUME_WINDOW_DAYS of its start,
// and after that ends, scored on what was answered.
import t from 'tap'
import { contractFor } from '@dreamseed/events'
import { buildExam } from '../../helper.js'
import { answerAt, assignedExam, DAY, eventsOf, footprint, MINUTE, post, school, testClock } from './pausing.js'

t.test('an idle session is suspended from its last activity, and continuing the exam resumes it with its item and its time left', async (t) => {
  const clock = testClock()
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: clock.now })
  const s = await school(ctx, { students: 2 })
  const examId = await assignedExam(ctx, s, { kind: 'adaptive', subject: 'math', stopping: { maxItems: 10, timeLimitSeconds: 3600 } })
  const [idle, busy] = s.students as [typeof s.student, typeof s.student]
  const start = (await post(ctx.app, `/exam/exams/${examId}/sessions`, idle.headers)).json()
  const sessionId = start.session.id as string
  clock.advance(5 * MINUTE)
  const answered = (await answerAt(ctx, ctx.app, idle.headers, sessionId, start.item, 0)).json()
  const lastActivity = clock.at()
  const job = ctx.app.sessionExpiry()!

  clock.advance(24 * MINUTE)
  t.equal(await job.runOnce(), 0, '24 minutes after its last answer a session is not idle yet')
  const other = (await post(ctx.app, `/exam/exams/${examId}/sessions`, busy.headers)).json()
  clock.advance(2 * MINUTE)
  t.equal(await job.runOnce(), 1, '26 minutes after it, it is suspended')
  t.equal(await job.runOnce(), 0, 'once')
  const [row] = await ctx.sql`select status, paused_at, paused_by, pause_reason from exam.sessions where id = ${sessionId}`
  t.match(row, { status: 'suspended', paused_by: null, pause_reason: 'idle' })
  t.equal(row!.paused_at.getTime(), lastActivity, 'its clock stopped at its last answer')
  t.equal((await ctx.sql`select status from exam.sessions where id = ${other.session.id}`)[0]!.status, 'in_progress', 'a session started 2 minutes ago is left running')
  const [suspended] = await eventsOf(ctx, sessionId, 'exam.session.paused')
  t.match(suspended!.envelope.data, { sessionId, by: null, reason: 'idle', at: new Date(lastActivity).toISOString() })
  t.same(contractFor('exam.session.paused', 1)!.check(suspended!.envelope), [])

  const current = await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${sessionId}/current`, headers: idle.headers })
  t.match(current.json(), { session: { status: 'suspended', pauseReason: 'idle' }, item: null })
  const refused = await answerAt(ctx, ctx.app, idle.headers, sessionId, answered.item, 1)
  t.equal(refused.json().error.code, 'EXAM_SESSION_PAUSED')

  clock.advance(DAY)
  const continued = await post(ctx.app, `/exam/exams/${examId}/sessions`, idle.headers)
  t.equal(continued.statusCode, 200, 'starting the exam again continues the session')
  t.same(continued.json().item, answered.item, 'with the item it was showing')
  const stoppedFor = clock.at() - lastActivity
  t.match(continued.json().session, { id: sessionId, status: 'in_progress', pausedMs: stoppedFor })
  t.equal(continued.json().session.deadlineAt, new Date(Date.parse('2026-03-02T10:00:00Z') + stoppedFor).toISOString(), '55 minutes left, as at its last answer')
  const [resumed] = await eventsOf(ctx, sessionId, 'exam.session.resumed')
  t.match(resumed!.envelope.data, { by: idle.userId, reason: 'student', pausedMs: stoppedFor })
  t.equal((await answerAt(ctx, ctx.app, idle.headers, sessionId, answered.item, 1)).statusCode, 200, 'and it takes answers again')
})

t.test('a stopped session resumes within its window; after it, resuming is refused and the job ends it scored on what was answered', async (t) => {
  const clock = testClock()
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600', EXAM_RESUME_WINDOW_DAYS: '10' }, { now: clock.now })
  const s = await school(ctx, { students: 2 })
  const examId = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 6) })
  const [late, onTime] = s.students as [typeof s.student, typeof s.student]
  const sessions: string[] = []
  for (const student of [late, onTime]) {
    const start = (await post(ctx.app, `/exam/exams/${examId}/sessions`, student.headers)).json()
    const one = (await answerAt(ctx, ctx.app, student.headers, start.session.id, start.item, 1)).json()
    await answerAt(ctx, ctx.app, student.headers, start.session.id, one.item, 2)
    t.equal((await post(ctx.app, `/exam/sessions/${start.session.id as string}/pause`, student.headers)).statusCode, 200)
    sessions.push(start.session.id)
  }
  const [lateId, onTimeId] = sessions as [string, string]
  const job = ctx.app.sessionExpiry()!

  clock.advance(10 * DAY - MINUTE)
  t.equal((await post(ctx.app, `/exam/sessions/${onTimeId}/resume`, onTime.headers)).statusCode, 200, 'a minute before the window closes it resumes')
  t.equal((await post(ctx.app, `/exam/sessions/${onTimeId}/pause`, onTime.headers)).statusCode, 200, 'and is paused again')
  clock.advance(MINUTE)
  const before = await footprint(ctx, lateId)
  const refused = await post(ctx.app, `/exam/sessions/${lateId}/resume`, late.headers)
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().error.code, 'EXAM_RESUME_WINDOW_PASSED', '10 days after its start it is not resumed')
  const again = await post(ctx.app, `/exam/exams/${examId}/sessions`, late.headers)
  t.equal(again.json().error.code, 'EXAM_RESUME_WINDOW_PASSED', 'nor continued')
  t.same(await footprint(ctx, lateId), before, 'and nothing was written')

  t.equal(await job.runOnce(), 2, 'the job ends both stopped sessions past their window')
  for (const id of sessions) {
    const [row] = await ctx.sql`select status, stop_reason, result, paused_at from exam.sessions where id = ${id}`
    t.match(row, { status: 'completed', stop_reason: 'resume-window', paused_at: null, result: { itemsAnswered: 2, correctCount: 2 } }, 'scored on the two answers it has')
    const [completed] = await eventsOf(ctx, id, 'exam.session.completed')
    t.match(completed!.envelope.data, { sessionId: id, reason: 'time-limit', endedBy: 'resume-window', itemsAnswered: 2, correctCount: 2 })
    t.same(contractFor('exam.session.completed', 1)!.check(completed!.envelope), [], 'the completed event keeps v1\'s contract')
  }
  t.equal(await job.runOnce(), 0, 'once')
  const ended = await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${lateId}/current`, headers: late.headers })
  t.match(ended.json(), { item: null, session: { status: 'completed', stopReason: 'resume-window' }, result: { itemsAnswered: 2 } })
  t.equal((await post(ctx.app, `/exam/sessions/${lateId}/resume`, late.headers)).json().error.code, 'EXAM_RESUME_WINDOW_PASSED', 'an ended session says why it cannot be resumed')
})
