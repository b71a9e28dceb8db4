// Response-time effort as exam judged it: each response's rapid-guess flag and each session's effort and
// low-effort flag are kept, and shown with the session in the student's progress and the classroom's students;
// events from before exam judged them leave them unknown (null), not "not rapid".
import t from 'tap'
import { examResponseRecordedV1, examSessionCompletedV1, newEnvelope, type Envelope } from '@dreamseed/events'
import { buildAnalytics, id, school, sessionEvents, T0 } from '../helper.js'

const HOUR = 3_600_000

/** A session's events with exam's judgement of its answers added: `rapid[i]` for the i-th answer. */
function judged (events: Envelope[], rapid: boolean[], effort: { rapidGuesses: number, effort: number, lowEffort: boolean }): Envelope[] {
  return events.map((e) => {
    if (e.type === 'exam.response.recorded') {
      const data = e.data as { position: number }
      return newEnvelope(examResponseRecordedV1, { ...(e.data as object), rapidGuess: rapid[data.position]! } as never)
    }
    if (e.type === 'exam.session.completed') return newEnvelope(examSessionCompletedV1, { ...(e.data as object), ...effort } as never)
    return e
  })
}

t.test('rapid guesses and effort are kept and shown with the session in the student\'s progress and the classroom', async (t) => {
  const ctx = await buildAnalytics(t, {}, { now: () => new Date(T0 + 6 * HOUR) })
  const s = await school(ctx, 2)
  const [one, two] = s.students as [typeof s.student, typeof s.student]
  const [i1, i2, i3, i4] = [id(), id(), id(), id()]
  const examId = id()
  const before = sessionEvents({ organizationId: s.organizationId, studentId: one.userId, examId, theta: 0.2, answers: [[i1, true], [i2, false]] })
  const rushed = judged(sessionEvents({ organizationId: s.organizationId, studentId: one.userId, examId, theta: -0.4, answers: [[i1, false], [i2, true], [i3, false], [i4, true]], at: T0 + HOUR }),
    [true, false, true, false], { rapidGuesses: 2, effort: 0.5, lowEffort: true })
  const steady = judged(sessionEvents({ organizationId: s.organizationId, studentId: two.userId, examId, theta: 1, answers: [[i1, true], [i2, true]], at: T0 + 2 * HOUR }),
    [false, false], { rapidGuesses: 0, effort: 1, lowEffort: false })
  await ctx.publish(...before, ...rushed, ...steady)
  await ctx.settled()

  const sessionOf = (events: Envelope[]) => (events[0]!.data as { sessionId: string }).sessionId
  const rows = await ctx.sql`select id, rapid_guesses, effort, low_effort from analytics.sessions`
  const byId = new Map(rows.map((r) => [r.id, [r.rapid_guesses, r.effort, r.low_effort]]))
  t.same(byId.get(sessionOf(before)), [null, null, null], 'a session from before exam judged effort: unknown')
  t.same(byId.get(sessionOf(rushed)), [2, 0.5, true])
  t.same(byId.get(sessionOf(steady)), [0, 1, false])
  const flags = async (sessionId: string) => (await ctx.sql`select rapid_guess from analytics.responses where session_id = ${sessionId} order by position`).map((r) => r.rapid_guess)
  t.same(await flags(sessionOf(rushed)), [true, false, true, false])
  t.same(await flags(sessionOf(before)), [null, null], 'responses from before: unknown, not "not rapid"')

  const progress = (await ctx.get(`/analytics/students/${one.userId}`, s.teacher.headers)).json()
  t.same(progress.subjects[0].history.map((h: { sessionId: string, effort: number | null, lowEffort: boolean | null }) => [h.sessionId, h.effort, h.lowEffort]),
    [[sessionOf(before), null, null], [sessionOf(rushed), 0.5, true]], 'the student\'s history flags the rushed session')

  const students = (await ctx.get(`/analytics/classrooms/${s.classroomId}/students`, s.teacher.headers)).json().students
  const latest = new Map(students.map((x: { id: string, subjects: Array<{ effort: number | null, lowEffort: boolean | null }> }) => [x.id, x.subjects.map((y) => [y.effort, y.lowEffort])]))
  t.same(latest.get(one.userId), [[0.5, true]], 'the classroom shows the student\'s latest score came from a low-effort session')
  t.same(latest.get(two.userId), [[1, false]])
})
