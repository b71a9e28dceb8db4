// Load on analytics' main routes: 50 clients reading student, classroom, item and exam views and charts
// while exam's events keep arriving, for 5 s (LOAD_FULL=1: 60 s). Every session published is in the read model.
import t from 'tap'
import { buildAnalytics, ev, id, school, sessionEvents } from '../../../services/analytics/test/helper.js'
import { assertHealthy, listen, runLoad } from './support/load.js'

t.test('analytics under load: no 5xx, the pool holds, no event lost, memory levels off', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 20)
  const examId = id()
  const items = Array.from({ length: 10 }, () => id())
  await ctx.publish(...items.map((itemId, i) => ev.itemChanged(itemId, s.organizationId, { b: i / 3 - 1.5 })), ev.assignmentChanged(examId, s.classroomId, s.organizationId))
  const session = (studentId: string, i: number) => sessionEvents({ organizationId: s.organizationId, studentId, examId, theta: (i % 5) - 2, answers: items.slice(0, 5).map((itemId, k) => [itemId, (i + k) % 2 === 0]) })
  for (const [i, st] of s.students.entries()) await ctx.publish(...session(st.userId, i))
  await ctx.settled()
  const token = (h: Record<string, string>): string => h.authorization!.slice('Bearer '.length)
  const teacher = token(s.teacher.headers)
  const admin = token(s.admin.headers)
  const base = await listen(ctx.app)

  // exam keeps publishing while the views are read: one whole session every 50 ms.
  let published = s.students.length
  let publishing = true
  const publisher = (async () => {
    for (let i = 0; publishing; i++) {
      await ctx.publish(...session(s.students[i % s.students.length]!.userId, i))
      published++
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  const report = await runLoad(base, async (c) => {
    const st = s.students[c.index % s.students.length]!
    const item = items[c.index % items.length]!
    switch (c.index % 7) {
      case 0: await c.call('GET /analytics/students/:id', 'GET', `/analytics/students/${st.userId}`, { token: token(st.headers) }); break
      case 1: await c.call('GET /analytics/classrooms/:id', 'GET', `/analytics/classrooms/${s.classroomId}`, { token: teacher }); break
      case 2: await c.call('GET /analytics/classrooms/:id/students', 'GET', `/analytics/classrooms/${s.classroomId}/students?limit=20`, { token: teacher }); break
      case 3: await c.call('GET /analytics/items', 'GET', '/analytics/items?limit=20', { token: admin }); break
      case 4: await c.call('GET /analytics/items/:id/calibration', 'GET', `/analytics/items/${item}/calibration`, { token: admin }); break
      case 5: await c.call('GET /analytics/exams/:id', 'GET', `/analytics/exams/${examId}`, { token: teacher }); break
      default: await c.call('GET /analytics/classrooms/:id/ability-chart.svg', 'GET', `/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=math`, { token: teacher })
    }
  })
  publishing = false
  await publisher
  assertHealthy(t, 'analytics', report)
  t.equal(Object.entries(report.statuses).filter(([s]) => !s.startsWith('2')).length, 0, `analytics: every answer a success (${JSON.stringify(report.statuses)})`)
  await ctx.settled()
  const [row] = await ctx.sql`select count(*)::int as n from analytics.sessions`
  t.equal(row!.n, published, `analytics: every one of the ${published} sessions published is in the read model`)
})
