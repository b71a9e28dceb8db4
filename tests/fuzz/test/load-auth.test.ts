// Load on auth's main routes: 50 clients signing in, exchanging session tokens, reading their account and
// sessions, fetching the signing keys and registering, for 5 s (LOAD_FULL=1: 60 s).
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { buildAuth, createVerifiedUser, login } from '../../../services/auth/test/helper.js'
import { assertHealthy, assertNoLostEvent, listen, runLoad } from './support/load.js'

t.test('auth under load: no 5xx, the pool holds, no event lost, memory levels off', async (t) => {
  const ctx = await buildAuth(t, { AUTH_RATE_LIMIT_MAX: '1000000', AUTH_RATE_LIMIT_STRICT_MAX: '1000000' })
  const users = await Promise.all(Array.from({ length: 10 }, async () => await createVerifiedUser(ctx)))
  const sessions = await Promise.all(users.map(async (u) => ({ ...(await login(ctx, u)), account: u })))
  const base = await listen(ctx.app)
  let registered = 0
  const report = await runLoad(base, async (c) => {
    const s = sessions[c.index % sessions.length]!
    const dice = Math.random()
    if (dice < 0.35) await c.call('GET /auth/me', 'GET', '/auth/me', { token: s.accessToken })
    else if (dice < 0.5) await c.call('POST /auth/token', 'POST', '/auth/token', { body: { sessionToken: s.sessionToken } })
    else if (dice < 0.65) await c.call('GET /auth/sessions', 'GET', '/auth/sessions', { token: s.accessToken })
    else if (dice < 0.8) await c.call('GET /.well-known/jwks.json', 'GET', '/.well-known/jwks.json')
    else if (dice < 0.9) await c.call('POST /auth/login', 'POST', '/auth/login', { body: { email: s.account.email, password: s.account.password } })
    else {
      const res = await c.call('POST /auth/register', 'POST', '/auth/register', { body: { email: `load.${randomBytes(6).toString('hex')}@example.org`, password: 'correct horse battery', role: 'student', displayName: 'Load' } })
      if (res.status === 202) registered++
    }
  })
  assertHealthy(t, 'auth', report)
  t.equal(Object.entries(report.statuses).filter(([s]) => !s.startsWith('2')).length, 0, `auth: every answer a success (${JSON.stringify(report.statuses)})`)
  const events = await assertNoLostEvent(t, 'auth', ctx.sql, 'auth', ctx.prefix)
  t.ok(events.written >= registered, `auth: ${registered} registrations, ${events.written} events`)
})
