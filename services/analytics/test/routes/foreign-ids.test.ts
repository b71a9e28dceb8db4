import t from 'tap'
import { strangerProblems } from '@dreamseed/testing'
import { defaultCalibrate, type CalibrateItem } from '../../src/domain/calibrate.js'
import { buildAnalytics, ev, id, school, sessionEvents } from '../helper.js'

// Every analytics route that takes an id, as one organization's school holds it.
const routes = (ids: { student: string, classroom: string, item: string, exam: string }): Array<['GET' | 'POST', string]> => [
  ['GET', `/analytics/students/${ids.student}`],
  ['GET', `/analytics/students/${ids.student}/ability-chart.svg?subject=math`],
  ['GET', `/analytics/classrooms/${ids.classroom}`],
  ['GET', `/analytics/classrooms/${ids.classroom}/students`],
  ['GET', `/analytics/classrooms/${ids.classroom}/ability-chart.svg?subject=math`],
  ['GET', `/analytics/items/${ids.item}`],
  ['GET', `/analytics/items/${ids.item}/calibration`],
  ['POST', `/analytics/items/${ids.item}/promote`],
  ['GET', `/analytics/exams/${ids.exam}`]
]

t.test('another organization\'s id answers exactly like an id that does not exist, after one lookup at most and no fit', async (t) => {
  let fits = 0
  const calibrate: CalibrateItem = (responses, options) => { fits++; return defaultCalibrate(responses, options) }
  const ctx = await buildAnalytics(t, {}, { calibrate })
  const a = await school(ctx, 2)
  const item = id()
  const examId = id()
  await ctx.publish(ev.itemChanged(item, a.organizationId, { status: 'pretest' }), ev.assignmentChanged(examId, a.classroomId, a.organizationId))
  for (const [i, s] of a.students.entries()) await ctx.publish(...sessionEvents({ organizationId: a.organizationId, studentId: s.userId, examId, theta: i - 0.5, answers: [[id(), i === 0], [item, i === 1, true]] }))
  const b = await school(ctx, 1)
  await ctx.settled()
  const real = routes({ student: a.student.userId, classroom: a.classroomId, item, exam: examId })
  const made = routes({ student: id(), classroom: id(), item: id(), exam: id() })

  // The ids are real: A's admin reads every one (and the fits run for A).
  for (const [method, url] of real.filter(([m]) => m === 'GET')) {
    t.equal((await ctx.app.inject({ method, url, headers: a.admin.headers })).statusCode, 200, `A's admin: ${url}`)
  }
  t.ok(fits > 0, 'A\'s own calibration is fitted')
  fits = 0

  const callers = {
    'B\'s admin': b.admin,
    'B\'s teacher': b.teacher,
    'B\'s student': b.student,
    'an admin of no organization': await ctx.as('admin', null),
    'a teacher of no organization': await ctx.as('teacher', null),
    'a student of no organization': await ctx.as('student', null)
  }
  for (const [who, caller] of Object.entries(callers)) {
    for (const [i, [method, url]] of real.entries()) {
      const before = ctx.app.database.queryCount()
      const theirs = await ctx.app.inject({ method, url, headers: caller.headers })
      const queries = ctx.app.database.queryCount() - before
      const none = await ctx.app.inject({ method, url: made[i]![1], headers: caller.headers })
      t.same(strangerProblems(theirs, none), [], `${who}, ${method} ${url}: answered like a made-up id`)
      t.ok(queries <= 1, `${who}, ${method} ${url}: ${queries} queries (the access lookup at most)`)
    }
  }
  t.equal(fits, 0, 'no calibration was fitted for a stranger')
  t.equal((await ctx.sql`select count(*)::int as n from analytics.item_promotions`)[0]!.n, 0, 'nothing was promoted')
  t.equal((await ctx.sql`select count(*)::int as n from analytics.outbox`)[0]!.n, 0, 'nothing was announced')
})

t.test('a stranger is refused from the cache as from the database, and a colleague without the relationship still gets 403', async (t) => {
  const ctx = await buildAnalytics(t)
  const a = await school(ctx, 1)
  const b = await school(ctx, 1)
  const colleague = await ctx.as('teacher', a.organizationId)
  await ctx.settled()
  const url = `/analytics/classrooms/${a.classroomId}`
  t.equal((await ctx.get(url, a.teacher.headers)).statusCode, 200, 'the teacher reads it (now cached under A)')
  for (const round of ['first', 'second']) {
    const before = ctx.app.database.queryCount()
    const res = await ctx.get(url, b.admin.headers)
    t.equal(res.statusCode, 404, `${round}: B's admin`)
    t.equal(res.json().error.code, 'ANALYTICS_CLASSROOM_NOT_FOUND')
    t.equal(ctx.app.database.queryCount() - before, 1, `${round}: one lookup, never cached for a stranger`)
  }
  const before = ctx.app.database.queryCount()
  const res = await ctx.get(url, colleague.headers)
  t.equal(res.statusCode, 403)
  t.equal(res.json().error.code, 'ANALYTICS_NOT_YOUR_CLASSROOM')
  t.equal(ctx.app.database.queryCount() - before, 0, 'decided from the cached report\'s access facts')
})
