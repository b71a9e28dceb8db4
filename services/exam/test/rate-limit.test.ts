import t from 'tap'
import { captureLogger, rateLimitProblems, sharedUserLimitProblems, waitFor } from '@dreamseed/testing'
import { buildExam, newItem, newOrganization } from './helper.js'

const ndjson = { 'content-type': 'application/x-ndjson' }

t.test('a user past the limit gets 429 RATE_LIMITED with Retry-After on every replica, while another user from the same address is served', async (t) => {
  const ctx = await buildExam(t, { EXAM_RATE_LIMIT_MAX: '3', EXAM_RATE_LIMIT_WINDOW_S: '30' })
  const other = await ctx.replica()
  await waitFor(() => ctx.app.redis.status === 'ready' && other.redis.status === 'ready', { what: 'redis connected' })
  const organizationId = newOrganization()
  const [ann, bob] = [await ctx.as('teacher', organizationId), await ctx.as('teacher', organizationId)]
  const on = (app: typeof other) => async (url: string, headers: Record<string, string>) => await app.inject({ method: 'GET', url, headers })
  t.same(await sharedUserLimitProblems([on(ctx.app), on(other)], '/exam/items', ann.headers, bob.headers, 30), [])
  for (let i = 0; i < 5; i++) t.equal((await ctx.app.ops.inject({ method: 'GET', url: '/health/live' })).statusCode, 200, 'health (on the ops port) is never limited')
})

t.test('the import has a stricter count of its own, and a refused import writes nothing', async (t) => {
  const ctx = await buildExam(t, { EXAM_RATE_LIMIT_MAX: '1000', EXAM_RATE_LIMIT_STRICT_MAX: '2' })
  await waitFor(() => ctx.app.redis.status === 'ready', { what: 'redis connected' })
  const teacher = await ctx.as('teacher', newOrganization())
  const importOne = async () => await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...ndjson }, payload: JSON.stringify(newItem()) })
  t.equal((await importOne()).statusCode, 201)
  t.equal((await importOne()).statusCode, 201)
  t.same(rateLimitProblems(await importOne(), 60), [], 'the third import in the window')
  t.equal((await ctx.sql`select count(*)::int as n from exam.items`)[0]!.n, 2, 'the refused import wrote nothing')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/exam/items', headers: teacher.headers })).statusCode, 200, 'the teacher\'s other routes are still served')
})

t.test('with Redis down the limits are skipped, warned about and counted, and requests are served', async (t) => {
  const log = captureLogger('warn')
  const ctx = await buildExam(t, { REDIS_URL: 'redis://127.0.0.1:1', EXAM_RATE_LIMIT_MAX: '1' }, { logger: log.logger })
  const teacher = await ctx.as('teacher', newOrganization())
  for (let i = 0; i < 3; i++) t.equal((await ctx.app.inject({ method: 'GET', url: '/exam/items', headers: teacher.headers })).statusCode, 200, `request ${i + 1} is served`)
  const metrics = (await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })).body
  t.ok(Number(/^exam_rate_limit_skipped_total (\d+)/m.exec(metrics)?.[1] ?? 0) >= 3, 'every unlimited request is counted')
  t.ok(log.lines.some((l) => l.msg === 'rate limit not checked: redis unreachable'), 'and warned about')
})
