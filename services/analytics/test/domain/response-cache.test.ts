import t from 'tap'
import { buildAnalytics, id, school, sessionEvents, T0, type AnalyticsContext } from '../helper.js'

async function counter (ctx: AnalyticsContext, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await ctx.app.metrics.registry.getSingleMetric(name)!.get()
  return metric.values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((n, v) => n + v.value, 0)
}

t.test('answers come from the cache until an event changes their data, and hits and misses are counted', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  const item = id()
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: -0.5, answers: [[item, true]] }))
  await ctx.settled()
  const url = `/analytics/classrooms/${s.classroomId}`
  const labels = { route: 'classroom-summary' }

  const first = (await ctx.get(url, s.teacher.headers)).json()
  t.equal(await counter(ctx, 'analytics_cache_misses_total', labels), 1)
  t.equal(await counter(ctx, 'analytics_cache_hits_total', labels), 0)
  const queries = ctx.app.database.queryCount()
  t.same((await ctx.get(url, s.teacher.headers)).json(), first)
  t.equal(await counter(ctx, 'analytics_cache_hits_total', labels), 1)
  t.equal(ctx.app.database.queryCount(), queries, 'a hit reads nothing from the database')

  // A second session raises the student's ability: the next read must show it, not the cached answer.
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: 1.25, at: T0 + 86_400_000, answers: [[item, true]] }))
  await ctx.settled()
  const after = (await ctx.get(url, s.teacher.headers)).json()
  t.equal(first.subjects[0].ability.median, -0.5)
  t.equal(after.subjects[0].ability.median, 1.25, 'the event made the cached answer stale')
  t.same(after.subjects[0].improving.map((x: { studentId: string }) => x.studentId), [s.student.userId])
  t.equal(await counter(ctx, 'analytics_cache_misses_total', labels), 2)

  // Events of another organization leave this one's answers cached.
  const other = await school(ctx, 1)
  await ctx.publish(...sessionEvents({ organizationId: other.organizationId, studentId: other.student.userId, theta: 0, answers: [[id(), true]] }))
  await ctx.settled()
  await ctx.get(url, s.teacher.headers)
  t.equal(await counter(ctx, 'analytics_cache_hits_total', labels), 2)
})

t.test('the lag from an event\'s time to its application is exported', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: 0, at: Date.now(), answers: [[id(), true]] }))
  await ctx.settled()
  const body = (await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })).body
  const count = (stream: string) => Number(new RegExp(`analytics_event_lag_seconds_count\\{stream="${stream}"\\} (\\d+)`).exec(body)?.[1])
  t.equal(count('exams'), 3, 'started, one response, completed')
  t.equal(count('organizations'), 2, 'classroom created, member added')
  t.equal(count('users'), 1)
})

t.test('the time of the last applied exam event is exported for the stale-analytics alert', async (t) => {
  const ctx = await buildAnalytics(t)
  const last = async (): Promise<number | undefined> => {
    const m = /^dreamseed_analytics_last_event_timestamp_seconds (\S+)$/m.exec((await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })).body)
    return m === null ? undefined : Number(m[1])
  }
  const s = await school(ctx, 1)
  await ctx.settled()
  t.equal(await last(), 0, 'none yet: classroom and account events are not exam events')
  const before = Date.now() / 1000
  // An old session (occurredAt a day in the past): the gauge tells when analytics applied it, not when it happened.
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: 0, at: Date.now() - 86_400_000, answers: [[id(), true]] }))
  await ctx.settled()
  const applied = await last()
  t.ok(applied !== undefined && applied >= before && applied <= Date.now() / 1000, `set when the events were applied (${applied}, test started ${before})`)
})

t.test('with Redis down the routes answer from the database and readiness says degraded', async (t) => {
  const ctx = await buildAnalytics(t, { REDIS_URL: 'redis://127.0.0.1:1' })
  const s = await school(ctx, 1)
  await ctx.publish(...sessionEvents({ organizationId: s.organizationId, studentId: s.student.userId, theta: 0.25, answers: [[id(), false]] }))
  await ctx.settled()
  for (let i = 0; i < 2; i++) {
    const res = await ctx.get(`/analytics/students/${s.student.userId}`, s.teacher.headers)
    t.equal(res.statusCode, 200)
    t.equal(res.json().subjects[0].theta, 0.25)
  }
  t.equal(await counter(ctx, 'analytics_cache_misses_total', { route: 'student-progress', reason: 'bypassed' }), 2)
  t.equal(await counter(ctx, 'analytics_cache_hits_total'), 0)
  const ready = await ctx.app.ops.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.equal(ready.json().status, 'degraded')
  t.equal(ready.json().checks.redis, 'down')
})
