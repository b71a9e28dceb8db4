import t from 'tap'
import { unseal, verificationSealContext } from '@dreamseed/events'
import { buildAuth, newUser, outbox } from '../../helper.js'
import type postgres from 'postgres'

const PASSWORD = newUser().password
const form = { 'content-type': 'application/x-www-form-urlencoded' }
const formBody = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()

async function registeredToken (app: Awaited<ReturnType<typeof buildAuth>>['app'], sql: postgres.Sql, sealKey: Buffer, user = newUser()): Promise<string> {
  await app.inject({ method: 'POST', url: '/auth/register', payload: user })
  const events = await outbox(sql)
  const event = events.filter((e) => e.type === 'user.created' || e.type === 'user.verification.requested').at(-1)!.envelope
  return unseal(sealKey, (event.data.verification as { sealedToken: string }).sealedToken, verificationSealContext(event.data.userId as string))
}

t.test('opening the link shows a confirm page asking for the password and uses nothing up; the button verifies and publishes user.verified', async (t) => {
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
    t.match(page.body, /<input type="password" id="password" name="password" required maxlength="128" autocomplete="current-password">/)
    t.match(page.body, /The password you chose when you registered/)
  }
  t.equal((await sql`select count(*)::int as n from auth.verification_tokens where used_at is not null`)[0]?.n, 0, 'a prefetch of the link uses nothing')

  const res = await app.inject({ method: 'POST', url: '/auth/verify', payload: formBody({ token, password: PASSWORD }), headers: form })
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
  const first = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: PASSWORD } })
  t.equal(first.statusCode, 200)
  t.equal(first.json().status, 'verified')
  const again = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: PASSWORD } })
  t.equal(again.statusCode, 410)
  t.equal(again.json().error.code, 'AUTH_VERIFICATION_TOKEN_USED')
  const page = await app.inject({ method: 'POST', url: '/auth/verify', payload: formBody({ token, password: PASSWORD }), headers: form })
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
  const res = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: PASSWORD } })
  t.equal(res.statusCode, 410)
  t.equal(res.json().error.code, 'AUTH_VERIFICATION_TOKEN_EXPIRED')
  t.equal((await sql`select email_verified_at from auth.users`)[0]?.email_verified_at, null)
})

t.test('an unknown token is refused without a hint', async (t) => {
  const { app } = await buildAuth(t)
  const res = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token: 'A'.repeat(43), password: PASSWORD } })
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
  t.equal((await app.inject({ method: 'POST', url: '/auth/verify', payload: { token: fresh, password: user.password } })).statusCode, 200)
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

t.test('the link alone does not verify: a wrong password is refused, the link stays usable, and the right one verifies', async (t) => {
  // Someone registered an address that is not theirs: its owner gets the mail but does not know the password.
  const { app, sql, sealKey } = await buildAuth(t)
  const stranger = newUser({ password: 'the stranger chose this' })
  const token = await registeredToken(app, sql, sealKey, stranger)
  const wrong = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: 'the owner guesses' } })
  t.equal(wrong.statusCode, 401)
  t.same(wrong.json(), { error: { code: 'AUTH_VERIFICATION_PASSWORD_INCORRECT', message: wrong.json().error.message, requestId: wrong.headers['x-request-id'] } })
  t.match(wrong.json().error.message, /register again/, 'tells the owner how to get the address back')
  const missing = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token } })
  t.equal(missing.statusCode, 400, 'no password, no verification')
  t.equal(missing.json().error.code, 'VALIDATION_FAILED')
  t.equal((await sql`select email_verified_at from auth.users`)[0]?.email_verified_at, null, 'not verified')
  t.equal((await sql`select count(*)::int as n from auth.verification_tokens where used_at is not null`)[0]?.n, 0, 'the link is not used up')
  t.same((await outbox(sql)).map((e) => e.type), ['user.created'], 'nothing announced')
  const audit = await sql`select action, outcome, details from auth.audit_log`
  t.match(audit, [{ action: 'email.verify', outcome: 'failure', details: { reason: 'wrong_password' } }], 'the refusal is audited')

  const page = await app.inject({ method: 'POST', url: '/auth/verify', payload: formBody({ token, password: 'the owner guesses' }), headers: form })
  t.equal(page.statusCode, 401)
  t.match(page.body, /<p id="error" class="error">This is not the password this address was registered with/)
  t.match(page.body, `name="token" value="${token}"`, 'the form again, to try once more')
  const empty = await app.inject({ method: 'POST', url: '/auth/verify', payload: formBody({ token }), headers: form })
  t.equal(empty.statusCode, 400)
  t.match(empty.body, /Enter the password you chose when you registered/)
  t.match(empty.body, `name="token" value="${token}"`)

  const right = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: stranger.password } })
  t.equal(right.statusCode, 200, 'mailbox and password together verify')
})

t.test('a link cannot be used to guess the password: wrong passwords are throttled like failed sign-ins, on the same count', async (t) => {
  const { app, sql, sealKey } = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '3' })
  const user = newUser()
  const token = await registeredToken(app, sql, sealKey, user)
  for (let i = 0; i < 3; i++) t.equal((await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: `guess ${i}` } })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: 'guess 3' } })).statusCode, 401, 'a failed sign-in adds to the same count')
  const refused = await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: user.password } })
  t.equal(refused.statusCode, 429, 'then even the right password waits')
  t.equal(refused.json().error.code, 'AUTH_LOGIN_DELAYED')
  t.equal(refused.headers['retry-after'], '1')
  const page = await app.inject({ method: 'POST', url: '/auth/verify', payload: formBody({ token, password: user.password }), headers: form })
  t.equal(page.statusCode, 429)
  t.equal(page.headers['retry-after'], '1')
  t.match(page.body, /Too many failed sign-ins/)
  t.match(page.body, `name="token" value="${token}"`, 'the form again, the link still good')
  t.equal((await app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: user.password }, remoteAddress: '198.51.100.9' })).statusCode, 200, 'the count is per client address: another address is not delayed')
})
