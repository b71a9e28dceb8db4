import t from 'tap'
import { buildAuth, createVerifiedUser, login } from '../../helper.js'

t.test('bad input on the sign-in, session and profile routes gets a 4xx in the error model and changes nothing', async (t) => {
  const ctx = await buildAuth(t)
  const user = await createVerifiedUser(ctx)
  const session = await login(ctx, user)
  const json = { 'content-type': 'application/json' }
  const cases: Array<[string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, string | undefined, Record<string, string>]> = [
    ['login: missing password', 'POST', '/auth/login', JSON.stringify({ email: user.email }), json],
    ['login: extra field', 'POST', '/auth/login', JSON.stringify({ email: user.email, password: 'x', remember: true }), json],
    ['login: wrong types', 'POST', '/auth/login', JSON.stringify({ email: 1, password: 2 }), json],
    ['login: malformed JSON', 'POST', '/auth/login', '{"email":', json],
    ['login: a 10 000-character email', 'POST', '/auth/login', JSON.stringify({ email: `${'a'.repeat(9990)}@example.org`, password: 'x' }), json],
    ['login: a password over 128 characters', 'POST', '/auth/login', JSON.stringify({ email: user.email, password: 'x'.repeat(129) }), json],
    ['login: over the body limit', 'POST', '/auth/login', JSON.stringify({ email: user.email, password: 'x'.repeat(70000) }), json],
    ['token: malformed session token', 'POST', '/auth/token', JSON.stringify({ sessionToken: 'short' }), json],
    ['token: missing', 'POST', '/auth/token', '{}', json],
    ['token: extra field', 'POST', '/auth/token', JSON.stringify({ sessionToken: session.sessionToken, x: 1 }), json],
    ['revoke: not a uuid', 'DELETE', '/auth/sessions/not-a-uuid', undefined, session.auth],
    ['revoke: injection attempt', 'DELETE', "/auth/sessions/1'%20or%201=1", undefined, session.auth],
    ['me: display name blank', 'PATCH', '/auth/me', JSON.stringify({ displayName: '  ' }), { ...json, ...session.auth }],
    ['me: display name too long', 'PATCH', '/auth/me', JSON.stringify({ displayName: 'x'.repeat(101) }), { ...json, ...session.auth }],
    ['me: extra field (role)', 'PATCH', '/auth/me', JSON.stringify({ displayName: 'Ok', role: 'admin' }), { ...json, ...session.auth }],
    ['me: wrong type', 'PATCH', '/auth/me', JSON.stringify({ displayName: 5 }), { ...json, ...session.auth }],
    ['me: no token', 'PATCH', '/auth/me', JSON.stringify({ displayName: 'Ok' }), json],
    ['sessions: bearer token too long', 'GET', '/auth/sessions', undefined, { authorization: `Bearer ${'a'.repeat(5000)}` }]
  ]
  for (const [name, method, url, payload, headers] of cases) {
    const res = await ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`)
    t.type(res.json().error?.code, 'string', `${name}: error code`)
    t.type(res.json().error?.requestId, 'string', `${name}: request id`)
  }
  const [row] = await ctx.sql`select display_name, role from auth.users where id = ${user.id}`
  t.equal(row?.display_name, user.displayName)
  t.equal(row?.role, 'student')
  t.equal((await ctx.sql`select count(*)::int as n from auth.sessions where revoked_at is not null`)[0]?.n, 0)
})

t.test('a user updates their display name', async (t) => {
  const ctx = await buildAuth(t)
  const user = await createVerifiedUser(ctx)
  const session = await login(ctx, user)
  const res = await ctx.app.inject({ method: 'PATCH', url: '/auth/me', headers: session.auth, payload: { displayName: '  Ann B. ' } })
  t.equal(res.statusCode, 200)
  t.equal(res.json().displayName, 'Ann B.')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: session.auth })).json().displayName, 'Ann B.')
})
