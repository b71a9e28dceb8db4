// Every route of analytics that needs a token (all of them), read from analytics' own OpenAPI walked
// by another school's admin, teacher and student and by a teacher and a student of no school, naming school A's
// students, classroom, items and exam, over read models fed by real events (packages/testing's route walk
// states the rules). A route added later is walked as it is; one with a new kind of path id fails here until
// its A value is added to `values` below.
import t from 'tap'
import { actorWith, walkAsOutsiders } from '@dreamseed/testing'
import { buildAnalytics, ev, id, school, sessionEvents, type AnalyticsContext } from '../helper.js'

/** A school as analytics learns it: a classroom of students, calibrated and pretest items, an exam they took. */
async function analyticsSchool (ctx: AnalyticsContext, students: number) {
  const s = await school(ctx, students)
  const examId = id()
  const items = Array.from({ length: 5 }, () => id())
  await ctx.publish(...items.map((itemId, i) => ev.itemChanged(itemId, s.organizationId, { b: i - 2, status: i === 4 ? 'pretest' : 'active' })), ev.assignmentChanged(examId, s.classroomId, s.organizationId))
  for (const [i, student] of s.students.entries()) {
    await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: student.userId, examId, theta: i - 1, answers: items.map((itemId, k) => [itemId, (k + i) % 2 === 0, k === 4]) }))
  }
  // A term around the sessions and a scale: what the term routes read and an outsider must not touch.
  const term = await ctx.app.inject({ method: 'POST', url: '/analytics/terms', headers: { ...s.admin.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'Autumn', startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' }) })
  await ctx.app.inject({ method: 'PUT', url: '/analytics/scales', headers: { ...s.admin.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ subject: 'math', slope: 10, intercept: 200, decimals: 0 }) })
  return { ...s, examId, items, termId: term.json().id as string }
}

t.test('analytics: every route, walked by outsiders naming school A\'s things, tells them nothing and changes nothing of A\'s', async (t) => {
  const ctx = await buildAnalytics(t)
  const a = await analyticsSchool(ctx, 3)
  const b = await analyticsSchool(ctx, 1)
  await ctx.settled()
  const values = {
    'students/{id}': a.student.userId,
    'classrooms/{id}': a.classroomId,
    // The pretest item: the one promote would change.
    'items/{id}': a.items[4],
    'exams/{id}': a.examId,
    'terms/{id}': a.termId,
    'terms/{termId}': a.termId,
    '?from': a.termId,
    '?to': a.termId,
    '?cursor': null
  }
  const own = { 'students/{id}': b.student.userId, 'classrooms/{id}': b.classroomId, 'items/{id}': b.items[4], 'exams/{id}': b.examId, 'terms/{id}': b.termId, 'terms/{termId}': b.termId, '?from': b.termId, '?to': b.termId }
  const ids = [a.organizationId, a.teacher.userId, a.admin.userId, ...a.students.map((s) => s.userId), a.classroomId, ...a.items, a.examId, a.termId]
  // The control: A's own admin reading, so the rules above are known to see an answer, a list of A's things and
  // a difference from things that do not exist.
  const insider = actorWith('admin of A', a.admin)
  const seen = await walkAsOutsiders(t, ctx, { schema: 'analytics', values, own, ids, b, insider, holds: ['users', 'classrooms', 'classroom_members', 'items', 'assignments', 'sessions', 'responses', 'scales', 'terms'] })
  t.match(seen, /GET \/analytics\/classrooms\/\{id\} as admin of A \(A's\): 200, not 403 or 404/, 'a classroom A\'s admin may read is seen as answering')
  t.match(seen, /GET \/analytics\/items as admin of A .*shows A's/, 'a list showing A\'s items is seen')
  t.match(seen, /GET \/analytics\/students\/\{id\} as admin of A \(A's\): A's things answer 200/, 'an answer unlike the one for a missing student is seen')
})
