import t from 'tap'
import { unseal, verificationSealContext } from '@dreamseed/events'
import { buildAuth, newUser, outbox } from './helper.js'
import type postgres from 'postgres'

async function registeredToken (app: Awaited<ReturnType<typeof buildAuth>>['app'], sql: postgres.Sql, sealKey: Buffer, user = newUser()): Promise<string> {
  await app.inject({ method: 'POST', url: '/auth/register', payload: user })
  const events = await outbox(sql)
  const event = events.filter((e) => e.type === 'user.created' || e.type === 'user.verification.requested').at(-1)!.envelope
  return unseal(sealKey, (event.data.verification as { sealedToken: string }).sealedToken, verificationSealContext(event.data.userId as string))
}

t.test('opening the link shows a confirm page and uses nothing up; the button verifies and publishes user.verified', async (t) => {
  const { app, sql, sealKey } = await buildAuth(t)
  const token = await registeredToken(app, sql, sealKey)
  for (let i = 0; i < 3; i++) {
    const page = await app.inject({ method: 'GET', url: `/auth/verify?token=${token}` })
    t.equal(page.statusCode, 200)
    t.match(page.headers['content-type'], /text\/html/)
    t.equal(page.headers['cache-control'], 'no-store')
    t.equal(page.headers['referrer-policy'], 'no-referrer')
    t.match(page.body, /<form method="post" action="\/auth\/verify">/)
    t.match(page.body, `name="token" value="${token}"`)
  }
  t.equal((await sql`select count(*)::int as n from auth.verification_tokens where used_at is not null`)[0]?.n, 0, 'a prefetch of the link uses nothing')

  const res = await app.inject({ method: 'POST', url: '/auth/verify', payload: `token=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(res.statusCode, 200)
  t.match(res.body, /Your address is confirmed/)
  const [user] = await sql`select email_verified_at from auth.users`
  t.type(user?.email_verified_at, Date)
  const events = await outbox(sql)
  t.same(events.map((e) => e.type), ['user.created', 'user.verified'])
})

t.test('a used token gets a clear message and a way to ask for a new mail', async (t) => {
  const { app, sql, sealKey } = await buildAuth(t)
  const token = await registeredToken(app, sql, sealKey)
  const first = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token } })
  t.equal(first.statusCode, 200)
  t.equal(first.json().status, 'verified')
  const again = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token } })
  t.equal(again.statusCode, 410)
  t.equal(again.json().error.code, 'AUTH_VERIFICATION_TOKEN_USED')
  const page = await app.inject({ method: 'POST', url: '/auth/verify', payload: `token=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(page.statusCode, 410)
  t.match(page.body, /already been used/)
  t.match(page.body, /action="\/auth\/verification\/resend"/, 'the page offers a new mail')
  t.equal((await outbox(sql)).filter((e) => e.type === 'user.verified').length, 1, 'verified once')
})

t.test('an expired token is refused (24 h by default, with a clock the test moves)', async (t) => {
  let now = Date.now()
  const { app, sql, sealKey } = await buildAuth(t, {}, { now: () => new Date(now) })
  const token = await registeredToken(app, sql, sealKey)
  now += 24 * 3600_000 + 1000
  const res = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token } })
  t.equal(res.statusCode, 410)
  t.equal(res.json().error.code, 'AUTH_VERIFICATION_TOKEN_EXPIRED')
  t.equal((await sql`select email_verified_at from auth.users`)[0]?.email_verified_at, null)
})

t.test('an unknown token is refused without a hint', async (t) => {
  const { app } = await buildAuth(t)
  const res = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token: 'A'.repeat(43) } })
  t.equal(res.statusCode, 400)
  t.equal(res.json().error.code, 'AUTH_VERIFICATION_TOKEN_INVALID')
})

t.test('resend: a new token for an unverified account, nothing for unknown or verified ones, and the same answer for all', async (t) => {
  let now = Date.now()
  const { app, sql, sealKey } = await buildAuth(t, {}, { now: () => new Date(now) })
  const user = newUser()
  const oldToken = await registeredToken(app, sql, sealKey, user)
  const answers: string[] = []
  const resend = async (email: string) => {
    const res = await app.inject({ method: 'POST', url: '/auth/verification/resend', payload: { email } })
    t.equal(res.statusCode, 202)
    answers.push(res.body)
  }
  await resend(user.email)
  t.equal((await outbox(sql)).filter((e) => e.type === 'user.verification.requested').length, 0, 'not twice within the resend interval')
  now += 61_000
  await resend(user.email)
  await resend('nobody@example.org')
  t.same((await outbox(sql)).map((e) => e.type), ['user.created', 'user.verification.requested'])
  t.equal(new Set(answers).size, 1, 'the same answer whatever the address')
  const newToken = await registeredToken(app, sql, sealKey, newUser())
  t.not(newToken, oldToken)
  const fresh = await unsealLatestFor(sql, sealKey, user.email)
  t.equal((await app.inject({ method: 'POST', url: '/auth/verify', payload: { token: fresh } })).statusCode, 200)
  now += 61_000
  await resend(user.email)
  t.equal((await outbox(sql)).filter((e) => e.type === 'user.verification.requested').length, 1, 'nothing for a verified account')
  const form = await app.inject({ method: 'POST', url: '/auth/verification/resend', payload: `email=${encodeURIComponent(user.email)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(form.statusCode, 202)
  t.match(form.body, /a new verification mail is on its way/)
})

async function unsealLatestFor (sql: postgres.Sql, sealKey: Buffer, email: string): Promise<string> {
  const events = (await outbox(sql)).filter((e) => e.type === 'user.verification.requested' && e.envelope.data.email === email)
  const event = events.at(-1)!.envelope
  return unseal(sealKey, (event.data.verification as { sealedToken: string }).sealedToken, verificationSealContext(event.data.userId as string))
}

t.test('the resend page is a plain form', async (t) => {
  const { app } = await buildAuth(t)
  const page = await app.inject({ method: 'GET', url: '/auth/verification/resend' })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<input type="email" id="email" name="email"/)
  t.notMatch(page.body, /<script/i)
})
