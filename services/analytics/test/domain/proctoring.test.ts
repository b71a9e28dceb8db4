// A session a teacher voided leaves every score, report and statistic, whatever order its events arrive in, and
// stays as a row marked voided; extensions are kept with the session and shown in the exam's summary.
import t from 'tap'
import { examSessionExtendedV1, examSessionVoidedV1, newEnvelope, type Envelope } from '@dreamseed/events'
import { buildAnalytics, ev, id, school, sessionEvents, T0 } from '../helper.js'

const HOUR = 3_600_000
type Ids = { sessionId: string, examId: string, organizationId: string, studentId: string }
const idsOf = (events: Envelope[]): Ids => {
  const { sessionId, examId, organizationId, studentId } = events[0]!.data as Ids
  return { sessionId, examId, organizationId, studentId }
}
const voided = (ids: Ids, by: string, reason: string, at = T0 + 5 * HOUR) => newEnvelope(examSessionVoidedV1, { ...ids, by, reason, at: new Date(at).toISOString() })
const extended = (ids: Ids, by: string, seconds: number, deadlineAt: number, at: number) =>
  newEnvelope(examSessionExtendedV1, { ...ids, by, seconds, deadlineAt: new Date(deadlineAt).toISOString(), at: new Date(at).toISOString() })

t.test('a voided session drops out of the student\'s progress, the classroom and exam summaries and the item statistics, and stays as a row', async (t) => {
  const ctx = await buildAnalytics(t, {}, { now: () => new Date(T0 + 6 * HOUR) })
  const s = await school(ctx, 2)
  const [one, two] = s.students as [typeof s.student, typeof s.student]
  const [i1, i2, i3] = [id(), id(), id()]
  const examId = id()
  await ctx.publish(...[i1, i2, i3].map((i) => ev.itemChanged(i, s.organizationId)), ev.assignmentChanged(examId, s.classroomId, s.organizationId))
  const kept = sessionEvents({ organizationId: s.organizationId, studentId: one.userId, examId, theta: 0.5, answers: [[i1, true], [i2, false]] })
  const cheated = sessionEvents({ organizationId: s.organizationId, studentId: one.userId, examId, theta: 2, answers: [[i1, true], [i3, true], [i2, true, true]], at: T0 + HOUR })
  const other = sessionEvents({ organizationId: s.organizationId, studentId: two.userId, examId, theta: -1, answers: [[i1, false]], at: T0 + 2 * HOUR })
  await ctx.publish(...kept, ...cheated, ...other)
  await ctx.settled()

  const progress = async () => (await ctx.get(`/analytics/students/${one.userId}`, s.teacher.headers)).json()
  const exam = async () => (await ctx.get(`/analytics/exams/${examId}`, s.teacher.headers)).json()
  const item = async (itemId: string) => (await ctx.get(`/analytics/items/${itemId}`, s.teacher.headers)).json()
  const classroom = async () => (await ctx.get(`/analytics/classrooms/${s.classroomId}`, s.teacher.headers)).json()
  t.match(await progress(), { sessionsTaken: 2, itemsAnswered: 4, correct: 3 }, 'before: both sessions count')
  t.match(await exam(), { sessionsStarted: 3, completions: 3, voided: 0 })
  t.equal((await item(i1)).administrations, 3)

  await ctx.publish(voided(idsOf(cheated), s.teacher.userId, 'answers copied'))
  await ctx.settled()

  const after = await progress()
  t.match(after, { sessionsTaken: 1, itemsAnswered: 2, correct: 1, accuracy: 0.5 }, 'the student\'s progress without it')
  t.same(after.subjects.map((x: { subject: string, theta: number, sessions: number, trend: string }) => [x.subject, x.theta, x.sessions, x.trend]), [['math', 0.5, 1, 'single_estimate']], 'its ability is not in the history')
  t.same(after.dailyActivity, [{ date: '2026-03-02', responses: 2, correct: 1, timeSpentMs: 2000 }], 'nor its answers in the daily activity')
  const summary = await exam()
  t.match(summary, { sessionsStarted: 2, completions: 2, voided: 1, meanTheta: -0.25, meanLength: 1.5 }, 'the exam summary without it, counting it as voided')
  t.equal(summary.thetaHistogram.reduce((n: number, b: { count: number }) => n + b.count, 0), 2)
  t.equal((await item(i1)).administrations, 2, 'item statistics without its answers')
  t.equal((await item(i3)).administrations, 0)
  const room = await classroom()
  t.equal(room.subjects[0].ability.n, 2, 'the classroom\'s ability distribution without it')
  t.same(room.exams.map((e: { completedBy: number }) => e.completedBy), [2])

  const [row] = await ctx.sql`select voided, void_reason, completed_at is not null as completed, theta from analytics.sessions where id = ${idsOf(cheated).sessionId}`
  t.same(row, { voided: true, void_reason: 'answers copied', completed: true, theta: 2 }, 'the row stays, marked voided, with its result')
  t.equal((await ctx.sql`select count(*)::int as n from analytics.responses where session_id = ${idsOf(cheated).sessionId}`)[0]!.n, 0, 'its answers, the pretest one too, feed no statistic or calibration')
})

t.test('a void that arrives before the session\'s other events ends the same: no answers kept', async (t) => {
  const ctx = await buildAnalytics(t, {}, { now: () => new Date(T0 + 6 * HOUR) })
  const s = await school(ctx, 1)
  const [i1, i2] = [id(), id()]
  const examId = id()
  const events = sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, examId, theta: 1, answers: [[i1, true], [i2, true, true]] })
  await ctx.publish(voided(idsOf(events), s.admin.userId, 'wrong student at the desk'))
  await ctx.settled()
  await ctx.publish(...events)
  await ctx.settled()
  t.match((await ctx.get(`/analytics/students/${s.student.userId}`, s.teacher.headers)).json(), { sessionsTaken: 0, itemsAnswered: 0, subjects: [] })
  t.match((await ctx.get(`/analytics/exams/${examId}`, s.teacher.headers)).json(), { sessionsStarted: 0, completions: 0, voided: 1 })
  t.equal((await ctx.sql`select count(*)::int as n from analytics.responses`)[0]!.n, 0)
  t.same((await ctx.sql`select voided, void_reason, completed_at is not null as completed from analytics.sessions`).map((r) => ({ ...r })), [{ voided: true, void_reason: 'wrong student at the desk', completed: true }])
})

t.test('extensions are kept with the session (total and latest deadline) and shown in the exam summary', async (t) => {
  const ctx = await buildAnalytics(t, {}, { now: () => new Date(T0 + 6 * HOUR) })
  const s = await school(ctx, 2)
  const examId = id()
  const item = id()
  const first = sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, examId, theta: 0, answers: [[item, true]] })
  const second = sessionEvents({ organizationId: s.organizationId, studentId: s.students[1]!.userId, examId, theta: 0, answers: [[item, false]] })
  const ids = idsOf(first)
  // The later extension arrives first.
  await ctx.publish(extended(ids, s.teacher.userId, 120, T0 + 17 * 60_000, T0 + 3 * 60_000), ...first, ...second, extended(ids, s.teacher.userId, 300, T0 + 15 * 60_000, T0 + 60_000))
  await ctx.settled()
  const [row] = await ctx.sql`select extension_s, deadline_at from analytics.sessions where id = ${ids.sessionId}`
  t.equal(row!.extension_s, 420)
  t.equal(row!.deadline_at.toISOString(), new Date(T0 + 17 * 60_000).toISOString(), 'the deadline of the latest extension')
  t.match((await ctx.get(`/analytics/exams/${examId}`, s.teacher.headers)).json(), { sessionsStarted: 2, completions: 2, extensions: { sessions: 1, seconds: 420 }, voided: 0 })
})
