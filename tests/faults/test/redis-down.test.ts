import t from 'tap'
import { startPrivateRedis, waitFor } from '@dreamseed/testing'
import { PASSWORD, buildSchool, call, metric, pool, startPlatform } from './helper.js'

// Redis holds rate-limit counts, failed-login counts, revocations and analytics' cache: all of it may be lost
// or unreachable without stopping a school. The decision, pinned here: rate limiting fails open (each skipped
// check counted in auth_rate_limit_skipped_total for the outage alert; packages/kit/src/plugins/rate-limit.ts
// says why), the login throttle too, analytics answers from Postgres, and readiness says degraded, not down.
const STRICT_MAX = 5

t.test('with Redis killed, people still sign in (rate limits skipped, counted), analytics answers around its cache, readiness says degraded; all back when Redis returns', async (t) => {
  const redis = await startPrivateRedis(t)
  const platform = await startPlatform(t, { redisUrl: redis.url, inProcess: ['auth', 'notification', 'exam', 'analytics'], env: { AUTH_RATE_LIMIT_STRICT_MAX: String(STRICT_MAX) } })
  const auth = platform.url('auth')
  const analytics = platform.url('analytics')
  const [authOps, analyticsOps] = [platform.opsUrl('auth'), platform.opsUrl('analytics')]
  // Three sign-ins on the way (of the five allowed per window): the counts go with the killed Redis anyway.
  const school = await buildSchool(platform, { students: 1, exams: 0 })
  const student = school.students[0]!
  await waitFor(async () => (await platform.sql`select count(*)::int as n from analytics.classroom_members where classroom_id = ${school.classroomId}`)[0]?.n === 1, { what: 'the classroom in analytics', timeoutMs: 30000 })
  const login = async () => await call(auth, 'POST', '/auth/login', undefined, { email: student.email, password: PASSWORD })
  const summary = async () => await call(analytics, 'GET', `/analytics/classrooms/${school.classroomId}`, school.teacher)

  const before = await summary()
  t.equal(before.status, 200)
  // The entry is written after the answer, and events still arriving make it stale: ask until one is served.
  t.ok(await waitFor(async () => (await summary()).status === 200 && await metric(analyticsOps, 'analytics_cache_hits_total') >= 1, { what: 'a cache hit' }), 'with Redis up, the summary is served from the cache')

  await redis.stop()
  await waitFor(async () => (await call(authOps, 'GET', '/health/ready')).body?.checks?.redis === 'down', { what: 'auth to notice' })
  for (const s of ['auth', 'exam', 'analytics'] as const) {
    const ready = await call(platform.opsUrl(s), 'GET', '/health/ready')
    t.equal(ready.status, 200, `${s}: still ready`)
    t.equal(ready.body?.status, 'degraded', `${s}: degraded`)
    t.equal(ready.body?.checks?.redis, 'down', `${s}: redis is the reason`)
  }
  const logins = await pool(Array.from({ length: STRICT_MAX * 2 }, (_, i) => i), 1, async () => (await login()).status)
  t.same(logins, logins.map(() => 200), `${logins.length} sign-ins from one address, over its limit of ${STRICT_MAX}: all let in`)
  t.ok(await metric(authOps, 'auth_rate_limit_skipped_total') >= logins.length, 'each unchecked request counted in auth_rate_limit_skipped_total')
  t.ok(await metric(authOps, 'auth_login_throttle_skipped_total') >= logins.length, 'and each unthrottled sign-in in auth_login_throttle_skipped_total')
  const me = await call(auth, 'GET', '/auth/me', (await login()).body!.accessToken)
  t.equal(me.status, 200, 'a signed-in user is served')
  const bypassedBefore = await metric(analyticsOps, 'analytics_cache_misses_total', { reason: 'bypassed' })
  const during = await summary()
  t.equal(during.status, 200, 'analytics answers')
  t.same(during.body, before.body, 'with the same answer')
  t.ok(await metric(analyticsOps, 'analytics_cache_misses_total', { reason: 'bypassed' }) > bypassedBefore, 'computed around the cache')

  await redis.start()
  for (const s of ['auth', 'exam', 'analytics'] as const) {
    await waitFor(async () => (await call(platform.opsUrl(s), 'GET', '/health/ready')).body?.status === 'ready', { what: `${s} ready again`, timeoutMs: 30000 })
  }
  const limited = await pool(Array.from({ length: STRICT_MAX + 1 }, (_, i) => i), 1, async () => await login())
  t.same(limited.map((r) => r.status), [...Array.from({ length: STRICT_MAX }, () => 200), 429], 'with Redis back, the limit applies again')
  t.equal(limited.at(-1)!.body?.error?.code, 'RATE_LIMITED')
  const hits = await metric(analyticsOps, 'analytics_cache_hits_total')
  await summary()
  await summary()
  t.ok(await metric(analyticsOps, 'analytics_cache_hits_total') > hits, 'and analytics serves from its cache again')
})
