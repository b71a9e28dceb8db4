// The accommodation profile a session ran with, from exam's session events, is kept with the session and shown
// where teachers see sessions: each point of a student's history and each subject of a classroom's students.
import t from 'tap'
import type { Accommodations } from '@dreamseed/events'
import { buildAnalytics, ev, id, school, sessionEvents, T0 } from '../helper.js'

const HOUR = 3_600_000
const EXTENDED: Accommodations = { timeMultiplier: 1.5, extraBreaks: 2, flags: ['read_aloud', 'large_print'] }

t.test('a session\'s profile is kept from its events in any order and shown in the student\'s history and the classroom\'s student list', async (t) => {
  const ctx = await buildAnalytics(t, {}, { now: () => new Date(T0 + 6 * HOUR) })
  const s = await school(ctx, 2)
  const [one, two] = s.students as [typeof s.student, typeof s.student]
  const item = id()
  await ctx.publish(ev.itemChanged(item, s.organizationId), ev.assignmentChanged(id(), s.classroomId, s.organizationId))
  const accommodated = sessionEvents({ organizationId: s.organizationId, studentId: one.userId, theta: 0.2, answers: [[item, true]], accommodations: EXTENDED })
  const later = sessionEvents({ organizationId: s.organizationId, studentId: one.userId, theta: 0.4, answers: [[item, true]], at: T0 + HOUR, accommodations: null })
  const before = sessionEvents({ organizationId: s.organizationId, studentId: two.userId, theta: -0.5, answers: [[item, false]], at: T0 + HOUR / 2 })
  // The completion of the accommodated session arrives before its start.
  await ctx.publish(accommodated[2]!, accommodated[0]!, accommodated[1]!, ...later, ...before)
  await ctx.settled()

  const rows = await ctx.sql`select student_id, started_at, accommodations from analytics.sessions order by started_at, student_id`
  t.same(rows.map((r) => r.accommodations), [EXTENDED, null, null], 'the profile, none, and a session from before profiles')

  const progress = (await ctx.get(`/analytics/students/${one.userId}`, s.teacher.headers)).json()
  t.same(progress.subjects[0].history.map((p: { theta: number, accommodations: unknown }) => [p.theta, p.accommodations]), [[0.2, EXTENDED], [0.4, null]], 'each session of the history with the profile it ran with')
  t.same((await ctx.get(`/analytics/students/${one.userId}`, one.headers)).json().subjects[0].history[0].accommodations, EXTENDED, 'the student sees their own')

  const students = (await ctx.get(`/analytics/classrooms/${s.classroomId}/students`, s.teacher.headers)).json().students
  const byId = new Map(students.map((x: { id: string }) => [x.id, x]))
  t.match(byId.get(one.userId), { subjects: [{ subject: 'math', theta: 0.4, accommodations: null }] }, 'the latest session\'s profile: none')
  t.match(byId.get(two.userId), { subjects: [{ subject: 'math', theta: -0.5, accommodations: null }] })

  // A later session with the profile again is shown as the latest.
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: one.userId, theta: 0.6, answers: [[item, true]], at: T0 + 2 * HOUR, accommodations: EXTENDED }))
  await ctx.settled()
  const again = (await ctx.get(`/analytics/classrooms/${s.classroomId}/students`, s.teacher.headers)).json().students.find((x: { id: string }) => x.id === one.userId)
  t.match(again, { subjects: [{ theta: 0.6, accommodations: EXTENDED }] })
})
