import t from 'tap'
import { rateLimitProblems, sharedUserLimitProblems } from '@dreamseed/testing'
import { buildAnalytics, id } from './helper.js'

t.test('a user past the limit gets 429 RATE_LIMITED with Retry-After on every replica, while another user from the same address is served', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_RATE_LIMIT_MAX: '3', ANALYTICS_RATE_LIMIT_WINDOW_S: '30' })
  const other = await ctx.replica()
  const organizationId = id()
  const [ann, bob] = [await ctx.as('teacher', organizationId), await ctx.as('teacher', organizationId)]
  const on = (app: typeof other) => async (url: string, headers: Record<string, string>) => await app.inject({ method: 'GET', url, headers })
  t.same(await sharedUserLimitProblems([on(ctx.app), on(other)], '/analytics/items', ann.headers, bob.headers, 30), [])
  for (let i = 0; i < 5; i++) {
    for (const url of ['/health/live', '/metrics']) t.equal((await ctx.app.ops.inject({ method: 'GET', url })).statusCode, 200, `${url} is never limited (on the ops port)`)
  }
})

t.test('calibration, promotion and the charts each have a stricter count of their own', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_RATE_LIMIT_MAX: '1000', ANALYTICS_RATE_LIMIT_STRICT_MAX: '2' })
  const admin = await ctx.as('admin', id())
  for (const [method, url] of [['GET', `/analytics/items/${id()}/calibration`], ['POST', `/analytics/items/${id()}/promote`], ['GET', `/analytics/students/${admin.userId}/ability-chart.svg?subject=math`], ['GET', `/analytics/classrooms/${id()}/ability-chart.svg?subject=math`]] as const) {
    for (let i = 0; i < 2; i++) t.not((await ctx.app.inject({ method, url, headers: admin.headers })).statusCode, 429, `${url}: request ${i + 1} is served`)
    t.same(rateLimitProblems(await ctx.app.inject({ method, url, headers: admin.headers }), 60), [], `${url}: the third is refused`)
  }
  t.equal((await ctx.get('/analytics/items', admin.headers)).statusCode, 200, 'the user\'s other routes are still served')
})

t.test('requests without a token count per client address', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_RATE_LIMIT_MAX: '2' })
  const send = async (remoteAddress: string) => await ctx.app.inject({ method: 'GET', url: '/analytics/items', remoteAddress })
  for (let i = 0; i < 2; i++) t.equal((await send('198.51.100.7')).statusCode, 401)
  t.same(rateLimitProblems(await send('198.51.100.7'), 60), [])
  t.equal((await send('198.51.100.8')).statusCode, 401, 'another address is answered')
})
