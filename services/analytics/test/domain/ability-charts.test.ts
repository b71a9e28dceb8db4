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

t.test('with a reporting scale for the subject, both charts draw scale scores (the axis, the points, the bars)', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 2)
  const item = id()
  // Student 1: θ 0.75 (se 0.3) then 1.5 (se 0.25); student 2: θ −0.4 (se 0.3).
  await ctx.publish(
    ...sessionEvents({ organizationId: s.organizationId, studentId: s.students[0]!.userId, theta: 0.75, se: 0.3, at: T0, answers: [[item, true]] }),
    ...sessionEvents({ organizationId: s.organizationId, studentId: s.students[0]!.userId, theta: 1.5, se: 0.25, at: T0 + 86_400_000, answers: [[item, true]] }),
    ...sessionEvents({ organizationId: s.organizationId, studentId: s.students[1]!.userId, theta: -0.4, se: 0.3, at: T0, answers: [[item, false]] })
  )
  await ctx.settled()
  const before = await ctx.get(`/analytics/students/${s.students[0]!.userId}/ability-chart.svg?subject=math`, s.teacher.headers)
  t.match(before.body, /Ability \(θ\)/, 'θ before the organization has a scale')

  // 200 + 10·θ with one decimal: 0.75 → 207.5 (SE 3.0), 1.5 → 215.0 (SE 2.5), −0.4 → 196.0; band ±1.96 SE: 215 ± 4.9.
  const put = await ctx.app.inject({ method: 'PUT', url: '/analytics/scales', headers: { ...s.admin.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ subject: 'math', slope: 10, intercept: 200, decimals: 1 }) })
  t.equal(put.statusCode, 200)

  const history = await ctx.get(`/analytics/students/${s.students[0]!.userId}/ability-chart.svg?subject=math`, s.teacher.headers)
  t.equal(history.statusCode, 200)
  t.match(history.body, /<title[^>]*>Student 1: math \(scale score\)<\/title>/)
  t.match(history.body, />Scale score</, 'the axis names the scale')
  t.notMatch(history.body, /Ability \(θ\)/, 'not θ any more: the cached θ chart was dropped with the scale change')
  t.match(history.body, /2026-03-02: score = 207\.5 \(95% interval 201\.6 to 213\.4\)/, 'the first estimate on the scale, its interval 207.5 ± 5.88')
  t.match(history.body, /2026-03-03: score = 215\.0 \(95% interval 210\.1 to 219\.9\)/, 'the second')
  t.match(history.body, /latest score = 215\.0/, 'the description reads the scale')
  // θ's −3..3 shown on the scale: 170..230, so the axis reaches at least those ticks.
  t.match(history.body, />170</)
  t.match(history.body, />230</)

  const distribution = await ctx.get(`/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=math`, s.teacher.headers)
  t.equal(distribution.statusCode, 200)
  t.match(distribution.body, /<title[^>]*>Class 7B: latest scale score in math \(2 students\)<\/title>/)
  t.match(distribution.body, />Scale score</)
  t.match(distribution.body, /mean 205\.50/, 'the bars are of scale scores: (215.0 + 196.0) / 2')
})
