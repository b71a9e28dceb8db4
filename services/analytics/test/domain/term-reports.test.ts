// Scale scores, scores per term, growth and percentile ranks on a school seeded over two terms, through the
// routes and real Postgres, NATS and Redis. Every expected number is worked out by hand in the comments.
import t from 'tap'
import { examSessionVoidedV1, newEnvelope, type Envelope } from '@dreamseed/events'
import { buildAnalytics, ev, id, school, sessionEvents, T0, type AnalyticsContext } from '../helper.js'

const DAY = 86_400_000
const AUTUMN = { name: 'Autumn 2026', startsAt: new Date(T0 - 30 * DAY).toISOString(), endsAt: new Date(T0 + 10 * DAY).toISOString() }
const SPRING = { name: 'Spring 2027', startsAt: new Date(T0 + 10 * DAY).toISOString(), endsAt: new Date(T0 + 100 * DAY).toISOString() }
// RIT-like: 200 + 10·θ, whole numbers, at most 208.
const SCALE = { subject: 'math', slope: 10, intercept: 200, decimals: 0, min: 150, max: 208 }

async function send (ctx: AnalyticsContext, method: 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, body?: unknown) {
  return await ctx.app.inject({ method, url, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) })
}

/**
 * Three students in the classroom and one more of the organization outside it, over two terms:
 *   s1: autumn θ −1.0 (a day early) then −0.5 (se 0.3), spring 0.5 (se 0.4)
 *   s2: autumn 0.23 (se 0.3), spring 0.5 (se 0.25)
 *   s3: autumn 1.0 (se 0.3), no spring
 *   outsider: autumn −2.0, spring 1.5
 * and another organization's student with autumn 0.0, who must count nowhere.
 */
async function seededSchool (ctx: AnalyticsContext) {
  const s = await school(ctx, 3)
  const [s1, s2, s3] = s.students.map((x) => x.userId) as [string, string, string]
  const outsider = id()
  const examId = id()
  const item = id()
  const org = s.organizationId
  const session = (studentId: string, theta: number, se: number, at: number, organizationId = org): Envelope[] => sessionEvents({ organizationId, studentId, examId, theta, se, at, answers: [[item, theta > 0]] })
  await ctx.publish(
    ev.userCreated(outsider, 'Outsider'),
    ...session(s1, -1.0, 0.35, T0 - DAY), ...session(s1, -0.5, 0.3, T0), ...session(s1, 0.5, 0.4, T0 + 20 * DAY),
    ...session(s2, 0.23, 0.3, T0), ...session(s2, 0.5, 0.25, T0 + 21 * DAY),
    ...session(s3, 1.0, 0.3, T0 + DAY),
    ...session(outsider, -2.0, 0.3, T0), ...session(outsider, 1.5, 0.3, T0 + 22 * DAY),
    ...session(id(), 0.0, 0.3, T0, id())
  )
  await ctx.settled()
  const autumn = await send(ctx, 'POST', '/analytics/terms', s.admin.headers, AUTUMN)
  const spring = await send(ctx, 'POST', '/analytics/terms', s.admin.headers, SPRING)
  const put = await send(ctx, 'PUT', '/analytics/scales', s.admin.headers, SCALE)
  if (autumn.statusCode !== 201 || spring.statusCode !== 201 || put.statusCode !== 200) throw new Error(`setup: ${autumn.body} ${spring.body} ${put.body}`)
  return { ...s, s1, s2, s3, examId, autumn: autumn.json().id as string, spring: spring.json().id as string }
}

t.test('growth between two terms: each term\'s latest session, the difference with sqrt(se₁² + se₂²), and both on the scale', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_MIN_RANK_GROUP: '4' })
  const s = await seededSchool(ctx)
  const url = `/analytics/students/${s.s1}/growth?subject=math&from=${s.autumn}&to=${s.spring}`
  const before = ctx.app.database.queryCount()
  const res = await ctx.get(url, s.teacher.headers)
  t.equal(res.statusCode, 200, res.body)
  t.equal(ctx.app.database.queryCount() - before, 2, 'the access lookup and one query')
  const g = res.json()
  t.same([g.from.name, g.from.theta, g.from.se], ['Autumn 2026', -0.5, 0.3], 'autumn: the latest session in it (−0.5), not the earlier −1.0')
  t.same([g.to.name, g.to.theta, g.to.se], ['Spring 2027', 0.5, 0.4])
  // 200 + 10·(−0.5) = 195, SE 10·0.3 = 3; 200 + 10·0.5 = 205, SE 4.
  t.same([g.from.scale, g.to.scale], [{ score: 195, se: 3 }, { score: 205, se: 4 }])
  // Δθ = 1.0, SE sqrt(0.3² + 0.4²) = 0.5; on the scale 205 − 195 = 10, SE 10·0.5 = 5.
  t.same(g.growth, { theta: 1, se: 0.5, scale: { score: 10, se: 5 } })
  t.same(g.scale, { slope: 10, intercept: 200, decimals: 0, min: 150, max: 208 })
  t.equal((await ctx.get(url, s.teacher.headers)).body, res.body, 'the same answer again')

  const none = (await ctx.get(`/analytics/students/${s.s3}/growth?subject=math&from=${s.autumn}&to=${s.spring}`, s.admin.headers)).json()
  // 200 + 10·1.0 = 210, held at the max 208.
  t.same([none.from.scale, none.to.theta, none.growth], [{ score: 208, se: 3 }, null, null], 'no spring score: no growth; autumn held at the bound')
  const own = await ctx.get(`/analytics/students/${s.s1}/growth?subject=math&from=${s.autumn}&to=${s.spring}`, s.student.headers)
  t.equal(own.statusCode, 200, 'the student reads their own growth')
  const unknown = await ctx.get(`/analytics/students/${s.s1}/growth?subject=math&from=${s.autumn}&to=${id()}`, s.teacher.headers)
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().error.code, 'ANALYTICS_TERM_NOT_FOUND')
  t.equal((await ctx.get(`/analytics/students/${s.s2}/growth?subject=math&from=${s.autumn}&to=${s.spring}`, s.student.headers)).statusCode, 403, 'not another student\'s')
})

t.test('percentile ranks in a term: mid-ranks among the organization\'s students with a score, or too few to rank', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_MIN_RANK_GROUP: '4' })
  const s = await seededSchool(ctx)
  const before = ctx.app.database.queryCount()
  const res = await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${s.autumn}?subject=math`, s.teacher.headers)
  t.equal(res.statusCode, 200, res.body)
  t.equal(ctx.app.database.queryCount() - before, 2, 'the classroom lookup and one query')
  const autumn = res.json()
  // Autumn's group: the outsider −2.0, s1 −0.5, s2 0.23, s3 1.0 (N = 4; the other organization's student is not in it).
  t.same([autumn.groupSize, autumn.ranked, autumn.note], [4, true, null])
  const by = new Map(autumn.students.map((x: { studentId: string }) => [x.studentId, x]))
  t.equal(autumn.students.length, 3, 'the classroom\'s three students, not the outsider')
  // PR = 100·(below + ½·equal)/N: s1 100·(1 + 0.5)/4 = 37.5, s2 100·(2 + 0.5)/4 = 62.5, s3 100·(3 + 0.5)/4 = 87.5.
  t.same([s.s1, s.s2, s.s3].map((x) => (by.get(x) as { percentileRank: number }).percentileRank), [37.5, 62.5, 87.5])
  // 200 + 10·0.23 = 202.3, rounded to 202.
  t.same((by.get(s.s2) as { scale: unknown }).scale, { score: 202, se: 3 })

  const spring = (await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${s.spring}?subject=math`, s.teacher.headers)).json()
  // Spring's group: s1 0.5, s2 0.5, the outsider 1.5: N = 3, below the 4 this test asks for.
  t.same([spring.groupSize, spring.ranked], [3, false])
  t.match(spring.note, /^too few to rank: 3 .* need 4$/)
  t.same(spring.students.map((x: { percentileRank: unknown }) => x.percentileRank), [null, null, null], 'no rank for anyone')
  t.same(spring.students.filter((x: { theta: unknown }) => x.theta !== null).length, 2, 'the two with a spring score still show it')

  // With a group of 3 allowed, the tie is split: s1 and s2 both 100·(0 + 0.5·2)/3 = 33.3.
  const ctx3 = await buildAnalytics(t, { ANALYTICS_MIN_RANK_GROUP: '3' })
  const s3 = await seededSchool(ctx3)
  const tied = (await ctx3.get(`/analytics/classrooms/${s3.classroomId}/terms/${s3.spring}?subject=math`, s3.teacher.headers)).json()
  t.same(tied.students.filter((x: { theta: unknown }) => x.theta !== null).map((x: { percentileRank: number }) => x.percentileRank), [33.3, 33.3])

  const missing = await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${id()}?subject=math`, s.teacher.headers)
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().error.code, 'ANALYTICS_TERM_NOT_FOUND')
  t.equal((await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${s.autumn}?subject=math`, s.student.headers)).statusCode, 403, 'not for students')
})

t.test('the growth chart and the term distribution are SVG of those figures', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_MIN_RANK_GROUP: '4' })
  const s = await seededSchool(ctx)
  const growth = await ctx.get(`/analytics/students/${s.s1}/growth-chart.svg?subject=math`, s.teacher.headers)
  t.equal(growth.statusCode, 200)
  t.match(growth.headers['content-type'], /^image\/svg\+xml/)
  t.match(growth.body, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  t.match(growth.body, /<title[^>]*>Student 1: math per term \(scale score\)<\/title>/)
  t.match(growth.body, /Autumn 2026: 195 ± 3 \(1 SE\)/, 'autumn on the scale with its SE')
  t.match(growth.body, /Spring 2027: 205 ± 4 \(1 SE\)/)
  t.equal(growth.body.match(/<\/svg>/g)?.length, 1, 'one closed document')

  const dist = await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${s.autumn}/distribution.svg?subject=math`, s.teacher.headers)
  t.equal(dist.statusCode, 200)
  t.match(dist.body, /<title[^>]*>Class 7B: math in Autumn 2026 \(3 students\)<\/title>/)
  // 195, 202 and 208 (held): the mean 201.67, the median 202.
  t.match(dist.body, /Mean 201\.67/)
  t.match(dist.body, /Median 202\.00/)
  t.match(dist.body, />Scale score</)
  const springDist = await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${s.spring}/distribution.svg?subject=math`, s.teacher.headers)
  t.match(springDist.body, /\(2 students\)/, 's3 has no spring score')
})

t.test('every report that shows θ shows the scale score beside it, and a scale change is seen at once despite the cache', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_MIN_RANK_GROUP: '4' })
  const s = await seededSchool(ctx)
  const progressUrl = `/analytics/students/${s.s1}`
  const progress = (await ctx.get(progressUrl, s.teacher.headers)).json()
  const math = progress.subjects.find((x: { subject: string }) => x.subject === 'math')
  t.same(math.scale, { score: 205, se: 4 }, 'latest 0.5 → 205 ± 4')
  t.same(math.history.map((h: { scale: unknown }) => h.scale), [{ score: 190, se: 4 }, { score: 195, se: 3 }, { score: 205, se: 4 }], '−1.0 (se 0.35 → 3.5, rounded to 4), −0.5, 0.5')
  const students = (await ctx.get(`/analytics/classrooms/${s.classroomId}/students`, s.teacher.headers)).json()
  const s2 = students.students.find((x: { id: string }) => x.id === s.s2)
  t.same(s2.subjects[0].scale, { score: 205, se: 3 }, 's2\'s latest 0.5 (se 0.25 → 2.5 → 3)')
  const summary = (await ctx.get(`/analytics/classrooms/${s.classroomId}`, s.teacher.headers)).json()
  t.same(summary.subjects[0].reportingScale, { slope: 10, intercept: 200, decimals: 0, min: 150, max: 208 })
  const exam = (await ctx.get(`/analytics/exams/${s.examId}`, s.teacher.headers)).json()
  t.ok(exam.meanScale !== null && exam.meanScale.score === Math.min(208, Math.round(200 + 10 * exam.meanTheta)), `the exam's mean θ ${exam.meanTheta} on the scale: ${JSON.stringify(exam.meanScale)}`)

  // Cached now; a new scale (θ·20 + 500, one decimal, no bounds) is seen on the next read.
  t.equal((await ctx.get(progressUrl, s.teacher.headers)).body, JSON.stringify(progress), 'a cached read')
  const put = await send(ctx, 'PUT', '/analytics/scales', s.admin.headers, { subject: 'math', slope: 20, intercept: 500, decimals: 1 })
  t.equal(put.statusCode, 200)
  const after = (await ctx.get(progressUrl, s.teacher.headers)).json()
  t.same(after.subjects.find((x: { subject: string }) => x.subject === 'math').scale, { score: 510, se: 8 }, '500 + 20·0.5 = 510, SE 20·0.4 = 8')
  const growth = (await ctx.get(`/analytics/students/${s.s1}/growth?subject=math&from=${s.autumn}&to=${s.spring}`, s.teacher.headers)).json()
  t.same(growth.growth.scale, { score: 20, se: 10 }, '510 − 490, SE 20·0.5')

  // A deleted term is gone from the cached term report too.
  t.equal((await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${s.autumn}?subject=math`, s.teacher.headers)).statusCode, 200)
  t.equal((await send(ctx, 'DELETE', `/analytics/terms/${s.autumn}`, s.admin.headers)).statusCode, 204)
  t.equal((await ctx.get(`/analytics/classrooms/${s.classroomId}/terms/${s.autumn}?subject=math`, s.teacher.headers)).statusCode, 404)

  const other = await school(ctx, 1)
  await ctx.settled()
  const otherProgress = (await ctx.get(`/analytics/students/${s.s1}`, other.admin.headers))
  t.equal(otherProgress.statusCode, 404, 'another organization sees nothing')
  const noScale = (await ctx.get('/analytics/scales', other.admin.headers)).json()
  t.same(noScale, { scales: [] }, 'another organization has no scale of its own')
})

t.test('a voided session leaves the term\'s score: the latest session that stands counts', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_MIN_RANK_GROUP: '1' })
  const s = await school(ctx, 1)
  const examId = id()
  const item = id()
  const events = (theta: number, se: number, at: number) => sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, examId, theta, se, at, answers: [[item, theta > 0]] })
  const earlier = events(-1.0, 0.35, T0 - DAY)
  const later = events(-0.5, 0.3, T0)
  await ctx.publish(...earlier, ...later)
  await ctx.settled()
  const autumn = await send(ctx, 'POST', '/analytics/terms', s.admin.headers, AUTUMN)
  t.equal(autumn.statusCode, 201, autumn.body)
  const url = `/analytics/classrooms/${s.classroomId}/terms/${autumn.json().id as string}?subject=math`
  const score = async () => (await ctx.get(url, s.teacher.headers)).json().students[0] as { theta: number, se: number }
  t.match(await score(), { theta: -0.5, se: 0.3 }, 'the term\'s latest session')
  const { sessionId } = later[0]!.data as { sessionId: string }
  await ctx.publish(newEnvelope(examSessionVoidedV1, { sessionId, examId, organizationId: s.organizationId, studentId: s.student.userId, by: s.teacher.userId, reason: 'taken by another student', at: new Date(T0 + DAY).toISOString() }))
  await ctx.settled()
  t.match(await score(), { theta: -1.0, se: 0.35 }, 'voided, it gives way to the one before')
})
