import t from 'tap'
import { buildAnalytics, id, school, sessionEvents, T0 } from '../helper.js'

t.test('a student\'s ability history and a classroom\'s ability distribution are SVG images of their data', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 3)
  const item = id()
  const thetas = [[-1.25, 0.5], [0.75, 1.5], [2.25]]
  for (const [i, series] of thetas.entries()) {
    await ctx.publish(...series.flatMap((theta, k) => sessionEvents({ organizationId: s.organizationId, studentId: s.students[i]!.userId, theta, at: T0 + k * 86_400_000, answers: [[item, true]] })))
  }
  await ctx.settled()

  const history = await ctx.get(`/analytics/students/${s.students[1]!.userId}/ability-chart.svg?subject=math`, s.teacher.headers)
  t.equal(history.statusCode, 200)
  t.match(history.headers['content-type'], /^image\/svg\+xml/)
  t.match(history.body, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  t.match(history.body, /<title[^>]*>Student 2: ability in math<\/title>/)
  t.match(history.body, /2026-03-02: θ = 0\.75 /, 'the first estimate is drawn, at its day')
  t.match(history.body, /2026-03-03: θ = 1\.50 /, 'the second estimate is drawn')
  t.notMatch(history.body, /θ = -1\.25/, 'no other student\'s estimate')

  const distribution = await ctx.get(`/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=math`, s.teacher.headers)
  t.equal(distribution.statusCode, 200)
  t.match(distribution.headers['content-type'], /^image\/svg\+xml/)
  t.match(distribution.body, /<title[^>]*>Class 7B: latest ability in math \(3 students\)<\/title>/, 'each student once, at their latest estimate')

  const empty = await ctx.get(`/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=poetry`, s.teacher.headers)
  t.equal(empty.statusCode, 200)
  t.match(empty.body, /\(0 students\)/)

  for (const [url, headers, status] of [
    [`/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=math`, s.student.headers, 403],
    [`/analytics/students/${s.students[1]!.userId}/ability-chart.svg?subject=math`, s.student.headers, 403],
    [`/analytics/students/${s.student.userId}/ability-chart.svg`, s.student.headers, 400],
    [`/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=`, s.teacher.headers, 400],
    [`/analytics/classrooms/${id()}/ability-chart.svg?subject=math`, s.teacher.headers, 404]
  ] as const) {
    const res = await ctx.get(url, headers)
    t.equal(res.statusCode, status, url)
    t.type(res.json().error.code, 'string', 'errors stay in the error model')
  }
  t.equal((await ctx.get(`/analytics/students/${s.student.userId}/ability-chart.svg?subject=math`, s.student.headers)).statusCode, 200, 'a student draws their own')
})
