import t from 'tap'
import { buildAuth, createVerifiedUser, login } from '../../helper.js'

t.test('login opens a session in Postgres and answers a session token and an access token', async (t) => {
  const ctx = await buildAuth(t)
  const user = await createVerifiedUser(ctx)
  const first = await login(ctx, user, { 'user-agent': 'test-browser/1.0' })
  const second = await login(ctx, user)
  t.match(first.sessionToken, /^[A-Za-z0-9_-]{43}$/)
  t.not(first.sessionToken, second.sessionToken, 'a new token on every login')
  const rows = await ctx.sql`select id, token_hash, user_agent, ip, idle_expires_at, absolute_expires_at, created_at from auth.sessions where user_id = ${user.id} order by created_at`
  t.equal(rows.length, 2)
  t.not(rows[0]?.token_hash, first.sessionToken, 'only a hash of the token is stored')
  t.equal(rows[0]?.user_agent, 'test-browser/1.0')
  t.type(rows[0]?.ip, 'string')
  const created = (rows[0]?.created_at as Date).getTime()
  t.equal((rows[0]?.idle_expires_at as Date).getTime() - created, 30 * 60_000, 'idle expiry 30 min by default')
  t.equal((rows[0]?.absolute_expires_at as Date).getTime() - created, 7 * 86400_000, 'absolute expiry 7 days by default')
  const me = await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: first.auth })
  t.equal(me.statusCode, 200)
  t.equal(me.json().email, user.email)
  t.equal(me.json().role, 'student')
})

t.test('wrong password, unknown address, unverified address', async (t) => {
  const ctx = await buildAuth(t)
  const user = await createVerifiedUser(ctx)
  const wrong = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: 'not the password' } })
  const unknown = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'nobody@example.org', password: 'not the password' } })
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().error.code, 'AUTH_INVALID_CREDENTIALS')
  t.equal(unknown.statusCode, 401)
  t.same({ ...unknown.json().error, requestId: '' }, { ...wrong.json().error, requestId: '' }, 'the same answer whether or not the address exists')
  await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: { email: 'unverified@example.org', password: 'correct horse battery', role: 'student', displayName: 'U' } })
  const unverified = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'unverified@example.org', password: 'correct horse battery' } })
  t.equal(unverified.statusCode, 403)
  t.equal(unverified.json().error.code, 'AUTH_EMAIL_NOT_VERIFIED')
  const audit = await ctx.sql`select action, outcome, details->>'reason' as reason from auth.audit_log order by id`
  t.same(audit.map((r) => `${r.action}:${r.outcome}:${r.reason}`), ['login:failure:wrong_password', 'login:failure:unknown_email', 'login:failure:email_not_verified'])
})

t.test('refresh slides the idle expiry up to the absolute one; idle and absolute expiry end the session', async (t) => {
  let now = Date.parse('2026-11-24T08:00:00Z')
  const ctx = await buildAuth(t, { SESSION_IDLE_TIMEOUT_S: '600', SESSION_ABSOLUTE_TIMEOUT_S: '1800' }, { now: () => new Date(now) })
  const user = await createVerifiedUser(ctx)
  const session = await login(ctx, user)
  const refresh = async () => await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: session.sessionToken } })

  now += 9 * 60_000
  let res = await refresh()
  t.equal(res.statusCode, 200, 'within the idle window')
  t.equal(res.json().idleExpiresAt, new Date(now + 600_000).toISOString(), 'idle expiry slides')
  now += 9 * 60_000
  t.equal((await refresh()).statusCode, 200, 'still alive thanks to the slide')
  now += 9 * 60_000
  res = await refresh()
  t.equal(res.statusCode, 200)
  t.equal(res.json().idleExpiresAt, new Date(Date.parse('2026-11-24T08:30:00Z')).toISOString(), 'never past the absolute expiry')
  now = Date.parse('2026-11-24T08:30:01Z')
  res = await refresh()
  t.equal(res.statusCode, 401, 'absolute expiry ends it')
  t.equal(res.json().error.code, 'AUTH_SESSION_EXPIRED')

  const other = await login(ctx, user)
  now += 601_000
  const idle = await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: other.sessionToken } })
  t.equal(idle.statusCode, 401, 'idle expiry ends it')
})

t.test('list, revoke one, revoke the others, log out', async (t) => {
  const ctx = await buildAuth(t)
  const user = await createVerifiedUser(ctx)
  const a = await login(ctx, user)
  const b = await login(ctx, user)
  const c = await login(ctx, user)
  const list = await ctx.app.inject({ method: 'GET', url: '/auth/sessions', headers: a.auth })
  t.equal(list.statusCode, 200)
  t.equal(list.json().sessions.length, 3)
  t.same(list.json().sessions.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id), [a.session.id])

  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/auth/sessions/${b.session.id}`, headers: a.auth })).statusCode, 204)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: b.auth })).json().error.code, 'AUTH_SESSION_REVOKED', 'its access token is refused at once')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: b.sessionToken } })).statusCode, 401, 'and it cannot be refreshed')
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/auth/sessions/${b.session.id}`, headers: a.auth })).statusCode, 404, 'already ended')

  const others = await ctx.app.inject({ method: 'POST', url: '/auth/sessions/revoke-others', headers: a.auth })
  t.same(others.json(), { revoked: 1 })
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: c.auth })).statusCode, 401)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: a.auth })).statusCode, 200, 'the caller keeps theirs')

  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: a.auth })).statusCode, 204)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: a.auth })).statusCode, 401)
  const actions = await ctx.sql`select action from auth.audit_log where outcome = 'success' order by id`
  t.same(actions.map((r) => r.action), ['login', 'login', 'login', 'session.revoke', 'session.revoke_others', 'logout'])
})

t.test('a user cannot see or end another user\'s sessions', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await login(ctx, await createVerifiedUser(ctx))
  const bob = await login(ctx, await createVerifiedUser(ctx))
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/auth/sessions/${bob.session.id}`, headers: ann.auth })).statusCode, 404)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: bob.auth })).statusCode, 200)
  const list = await ctx.app.inject({ method: 'GET', url: '/auth/sessions', headers: ann.auth })
  t.same(list.json().sessions.map((s: { id: string }) => s.id), [ann.session.id])
})

t.test('no token is 401, a forged or expired one too', async (t) => {
  let now = Date.now()
  const ctx = await buildAuth(t, { ACCESS_TOKEN_TTL_S: '60' }, { now: () => new Date(now) })
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me' })).json().error.code, 'AUTHENTICATION_REQUIRED')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: 'Bearer not.a.jwt' } })).json().error.code, 'AUTH_TOKEN_INVALID')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: { authorization: 'Basic abc' } })).statusCode, 401)
  const other = await buildAuth(t)
  const user = await createVerifiedUser(other)
  const foreign = await login(other, user)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: foreign.auth })).json().error.code, 'AUTH_TOKEN_INVALID', 'a token signed by another key is refused')
  const mine = await login(ctx, await createVerifiedUser(ctx))
  now -= 120_000
  const stale = await login(ctx, await createVerifiedUser(ctx))
  now += 120_000
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: mine.auth })).statusCode, 200)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: stale.auth })).json().error.code, 'AUTH_TOKEN_EXPIRED')
})

t.test('the cleanup job deletes unusable sessions in bounded batches and counts them', async (t) => {
  let now = Date.now()
  const ctx = await buildAuth(t, { SESSION_CLEANUP_BATCH: '2', SESSION_CLEANUP_INTERVAL_S: '3600' }, { now: () => new Date(now) })
  const user = await createVerifiedUser(ctx)
  for (let i = 0; i < 5; i++) await login(ctx, user)
  const keep = await login(ctx, user)
  await ctx.sql`update auth.sessions set idle_expires_at = now() - interval '1 minute' where id <> ${keep.session.id}`
  const removed = await ctx.app.sessionCleanup()!.runOnce()
  t.equal(removed, 5)
  t.same((await ctx.sql`select id from auth.sessions`).map((r) => r.id), [keep.session.id])
  t.match((await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })).body, /auth_sessions_removed_total 5/)
  now += 1
})
