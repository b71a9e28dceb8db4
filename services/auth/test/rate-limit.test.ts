import t, { type Test } from 'tap'
import { captureLogger } from '@dreamseed/testing'
import { buildAuth, createVerifiedUser, login, newUser } from './helper.js'

type Ctx = Awaited<ReturnType<typeof buildAuth>>
type Method = 'GET' | 'POST'

async function send (ctx: Ctx, method: Method, url: string, payload?: object, ip = '127.0.0.1') {
  return await ctx.app.inject({ method, url, remoteAddress: ip, ...(payload === undefined ? {} : { payload }) })
}

function assertRateLimited (t: Test, res: Awaited<ReturnType<typeof send>>, windowSeconds: number, what: string) {
  t.equal(res.statusCode, 429, `${what}: 429`)
  const retryAfter = Number(res.headers['retry-after'])
  t.ok(retryAfter >= 1 && retryAfter <= windowSeconds, `${what}: Retry-After ${retryAfter} s`)
  t.same(res.json(), { error: { code: 'RATE_LIMITED', message: 'Too many requests', requestId: res.headers['x-request-id'] } }, `${what}: the error model`)
}

t.test('login, register, password and resend requests past the strict limit get 429 RATE_LIMITED with Retry-After, per address', async (t) => {
  const ctx = await buildAuth(t, { AUTH_RATE_LIMIT_STRICT_MAX: '3', AUTH_RATE_LIMIT_MAX: '1000', LOGIN_THROTTLE_FREE_FAILURES: '1000', LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES: '1000' })
  const cases: Array<[string, Method, string, () => object]> = [
    ['login', 'POST', '/auth/login', () => ({ email: 'someone@example.org', password: 'not it' })],
    ['register', 'POST', '/auth/register', () => newUser()],
    ['resend', 'POST', '/auth/verification/resend', () => ({ email: 'someone@example.org' })],
    ['forgotten password', 'POST', '/auth/password/forgot', () => ({ email: 'someone@example.org' })]
  ]
  for (const [what, method, url, payload] of cases) {
    for (let i = 0; i < 3; i++) t.not((await send(ctx, method, url, payload())).statusCode, 429, `${what}: request ${i + 1} is served`)
    assertRateLimited(t, await send(ctx, method, url, payload()), 60, what)
    t.not((await send(ctx, method, url, payload(), '198.51.100.1')).statusCode, 429, `${what}: another address is served`)
  }
})

t.test('the other routes share the general limit; health and metrics (on the ops port) are never limited', async (t) => {
  const ctx = await buildAuth(t, { AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_S: '30' })
  const token = 'A'.repeat(43)
  t.equal((await send(ctx, 'GET', `/auth/verify?token=${token}`)).statusCode, 200)
  t.equal((await send(ctx, 'GET', '/.well-known/jwks.json')).statusCode, 200)
  t.equal((await send(ctx, 'POST', '/auth/token', { sessionToken: token })).statusCode, 401)
  assertRateLimited(t, await send(ctx, 'GET', '/auth/me'), 30, 'the fourth request to any route')
  for (const url of ['/health/live', '/health/ready', '/metrics', '/health/database/pool']) {
    for (let i = 0; i < 5; i++) t.equal((await ctx.app.ops.inject({ method: 'GET', url, remoteAddress: '127.0.0.1' })).statusCode, 200, `${url} ${i + 1}`)
  }
})

t.test('replicas share one count through Redis', async (t) => {
  const first = await buildAuth(t, { AUTH_RATE_LIMIT_STRICT_MAX: '2' })
  const second = await buildAuth(t, { AUTH_RATE_LIMIT_STRICT_MAX: '2', EVENTS_PREFIX: first.prefix })
  t.equal((await send(first, 'POST', '/auth/register', newUser())).statusCode, 202)
  t.equal((await send(second, 'POST', '/auth/register', newUser())).statusCode, 202)
  assertRateLimited(t, await send(first, 'POST', '/auth/register', newUser()), 60, 'the third registration, on either replica')
  assertRateLimited(t, await send(second, 'POST', '/auth/register', newUser()), 60, 'and on the other')
})

t.test('with Redis down, people still register, verify and sign in: the limits are skipped, warned about and counted', async (t) => {
  const log = captureLogger('warn')
  const ctx = await buildAuth(t, { REDIS_URL: 'redis://127.0.0.1:1', AUTH_RATE_LIMIT_STRICT_MAX: '2', LOGIN_THROTTLE_FREE_FAILURES: '1' }, { logger: log.logger })
  const user = await createVerifiedUser(ctx)
  for (let i = 0; i < 3; i++) t.equal((await send(ctx, 'POST', '/auth/login', { email: user.email, password: 'wrong' })).statusCode, 401, `failure ${i + 1} is answered, not refused`)
  const signedIn = await login(ctx, user)
  const me = await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: signedIn.auth })
  t.equal(me.statusCode, 200, 'the access token works')

  const ready = await ctx.app.ops.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.equal(ready.json().status, 'degraded')
  const metrics = (await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })).body
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0)
  t.ok(value('auth_rate_limit_skipped_total') >= 7, 'every unlimited request is counted')
  t.ok(value('auth_login_throttle_skipped_total') >= 4, 'every unthrottled login is counted')
  const warnings = log.lines.map((l) => l.msg)
  t.ok(warnings.includes('rate limit not checked: redis unreachable'))
  t.ok(warnings.includes('failed logins not counted: redis unreachable'))
})
