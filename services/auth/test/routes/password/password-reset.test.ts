import t from 'tap'
import { passwordResetSealContext, unseal, verificationSealContext } from '@dreamseed/events'
import { buildAuth, createVerifiedUser, login, newUser, outbox, type OutboxEvent } from '../../helper.js'

type Auth = Awaited<ReturnType<typeof buildAuth>>
const form = { 'content-type': 'application/x-www-form-urlencoded' }
const formBody = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()

async function forgot (ctx: Auth, email: string) {
  return await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email } })
}

const resetEvents = async (ctx: Auth): Promise<OutboxEvent[]> => (await outbox(ctx.sql)).filter((e) => e.type === 'user.password_reset.requested')

/** The raw token of the latest reset mail to a user, unsealed the way the mailer does it. */
async function latestToken (ctx: Auth, userId: string): Promise<string> {
  const event = (await resetEvents(ctx)).filter((e) => e.envelope.data.userId === userId).at(-1)
  if (event === undefined) throw new Error('no reset event')
  return unseal(ctx.sealKey, (event.envelope.data.reset as { sealedToken: string }).sealedToken, passwordResetSealContext(userId))
}

async function reset (ctx: Auth, token: string, password: string) {
  return await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password } })
}

t.test('asking for a reset answers the same for a known, an unknown and a disabled address; only the known one gets a mail', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const bob = await createVerifiedUser(ctx)
  await ctx.sql`update auth.users set disabled_at = now() where id = ${bob.id}`
  const before = (await outbox(ctx.sql)).length
  const answers = []
  for (const email of [ann.email, 'nobody@example.org', bob.email, ann.email.toUpperCase()]) {
    const res = await forgot(ctx, email)
    t.equal(res.statusCode, 202, email)
    answers.push(res.body)
  }
  t.equal(new Set(answers).size, 1, 'the same body whatever the address')
  t.same(JSON.parse(answers[0]!), { status: 'accepted', message: 'If an account uses this address, a mail with a link to choose a new password is on its way.' })
  const events = (await outbox(ctx.sql)).slice(before)
  t.same(events.map((e) => [e.type, e.envelope.data.userId]), [['user.password_reset.requested', ann.id]], 'one event, for the known enabled account; the second ask is within the minute')
  t.equal((await ctx.sql`select count(*)::int as n from auth.password_reset_tokens`)[0]?.n, 1)

  const page = await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: formBody({ email: 'nobody@example.org' }), headers: form })
  t.equal(page.statusCode, 202)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, /<p id="notice">If an account uses this address/)
})

t.test('an unverified account may reset its password too, and the reset verifies its address', async (t) => {
  // The reset link came through the mailbox and the password is chosen with it: all verification asks for.
  // Whoever registered the address before (perhaps not its owner) loses the password they chose.
  const ctx = await buildAuth(t)
  const user = newUser({ password: 'chosen at registration' })
  await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: user })
  const [created] = await outbox(ctx.sql)
  const userId = created!.envelope.data.userId as string
  const verificationLink = unseal(ctx.sealKey, (created!.envelope.data.verification as { sealedToken: string }).sealedToken, verificationSealContext(userId))
  t.equal((await forgot(ctx, user.email)).statusCode, 202)
  t.equal((await resetEvents(ctx)).length, 1)
  t.equal((await reset(ctx, await latestToken(ctx, userId), 'chosen with the reset link')).statusCode, 200)
  t.type((await ctx.sql`select email_verified_at from auth.users`)[0]?.email_verified_at, Date, 'verified')
  t.same((await outbox(ctx.sql)).slice(2).map((e) => e.type).sort(), ['user.password.changed', 'user.verified'])
  const stale = await ctx.app.inject({ method: 'POST', url: '/auth/verify', payload: { token: verificationLink, password: 'chosen at registration' } })
  t.equal(stale.json().error.code, 'AUTH_VERIFICATION_TOKEN_USED', 'the verification link still out has no use left')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: 'chosen at registration' } })).statusCode, 401, 'the registration\'s password is gone')
  t.equal((await login(ctx, { email: user.email, password: 'chosen with the reset link' })).sessionToken.length, 43, 'the new one signs in')
})

t.test('at most one reset mail per minute per account', async (t) => {
  let now = Date.now()
  const ctx = await buildAuth(t, {}, { now: () => new Date(now) })
  const ann = await createVerifiedUser(ctx)
  await forgot(ctx, ann.email)
  now += 30_000
  await forgot(ctx, ann.email)
  t.equal((await resetEvents(ctx)).length, 1, 'not again within the minute')
  now += 31_000
  await forgot(ctx, ann.email)
  t.equal((await resetEvents(ctx)).length, 2, 'again after a minute')
})

t.test('the event carries the token sealed for the mailer, and no raw token or password material', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  await forgot(ctx, ann.email)
  const [event] = await resetEvents(ctx)
  const token = await latestToken(ctx, ann.id)
  t.match(token, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url')
  const [row] = await ctx.sql`select token_hash, expires_at, created_at from auth.password_reset_tokens`
  t.not(row?.token_hash, token, 'only a hash is stored')
  t.equal(row?.token_hash, (await import('node:crypto')).createHash('sha256').update(token).digest('hex'))
  t.equal((row?.expires_at as Date).getTime() - (row?.created_at as Date).getTime(), 3600_000, 'valid for one hour')
  const [user] = await ctx.sql`select password_hash from auth.users where id = ${ann.id}`
  const serialized = JSON.stringify(event?.envelope)
  t.notOk(serialized.includes(token), 'no raw token')
  t.notOk(serialized.includes(row?.token_hash as string), 'no token hash')
  t.notOk(serialized.includes(ann.password), 'no password')
  t.notOk(serialized.includes(user?.password_hash as string), 'no password hash')
  t.same(Object.keys(event!.envelope.data).sort(), ['displayName', 'email', 'reset', 'userId'])
  const sealed = (event!.envelope.data.reset as { sealedToken: string }).sealedToken
  t.throws(() => unseal(ctx.sealKey, sealed, verificationSealContext(ann.id)), 'the sealed token cannot pass for a verification token')
})

t.test('the link opens a plain form and uses nothing up; the form sets the password, once', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  await forgot(ctx, ann.email)
  const token = await latestToken(ctx, ann.id)
  for (let i = 0; i < 2; i++) {
    const page = await ctx.app.inject({ method: 'GET', url: `/auth/password/reset?token=${token}` })
    t.equal(page.statusCode, 200)
    t.match(page.headers['content-type'], /text\/html/)
    t.equal(page.headers['cache-control'], 'no-store')
    t.equal(page.headers['referrer-policy'], 'no-referrer')
    t.match(page.headers['content-security-policy'], /default-src 'none'/)
    t.match(page.body, /<form method="post" action="\/auth\/password\/reset">/)
    t.match(page.body, `name="token" value="${token}"`)
    t.match(page.body, /<input type="password" id="password" name="password" required minlength="8" maxlength="128"/)
    t.match(page.body, /<input type="password" id="passwordConfirm" name="passwordConfirm"/)
    t.match(page.body, ann.email)
    t.notMatch(page.body, /<script/i)
  }
  t.equal((await ctx.sql`select count(*)::int as n from auth.password_reset_tokens where used_at is not null`)[0]?.n, 0, 'opening the link uses nothing')

  const differ = await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: formBody({ token, password: 'a new secret 1', passwordConfirm: 'a new secret 2' }), headers: form })
  t.equal(differ.statusCode, 400)
  t.match(differ.body, /<p id="error" class="error">The two passwords are not the same<\/p>/)
  t.match(differ.body, `name="token" value="${token}"`, 'the form again, to try once more')
  const short = await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: formBody({ token, password: 'short', passwordConfirm: 'short' }), headers: form })
  t.equal(short.statusCode, 400)
  t.match(short.body, /8 to 128 characters/)
  t.match(short.body, /action="\/auth\/password\/reset"/)

  const done = await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: formBody({ token, password: 'a new secret 1', passwordConfirm: 'a new secret 1' }), headers: form })
  t.equal(done.statusCode, 200)
  t.equal(done.headers['cache-control'], 'no-store')
  t.match(done.body, /<h1 id="result">Your password has been changed<\/h1>/)
  await login(ctx, { email: ann.email, password: 'a new secret 1' })

  const again = await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: formBody({ token, password: 'a third secret', passwordConfirm: 'a third secret' }), headers: form })
  t.equal(again.statusCode, 410)
  t.match(again.body, /already been used/)
  t.match(again.body, /<a id="ask-again" href="\/auth\/password\/forgot">/, 'a link to ask again')
  const reopened = await ctx.app.inject({ method: 'GET', url: `/auth/password/reset?token=${token}` })
  t.equal(reopened.statusCode, 410, 'the used link now opens the explanation, not the form')
  t.notMatch(reopened.body, /<form/)
  t.match(reopened.body, /href="\/auth\/password\/forgot"/)
  const json = await reset(ctx, token, 'a third secret')
  t.equal(json.statusCode, 410)
  t.equal(json.json().error.code, 'AUTH_RESET_TOKEN_USED')
  await login(ctx, { email: ann.email, password: 'a new secret 1' })
})

t.test('a reset sets the password, ends every session, is audited and announced', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const first = await login(ctx, ann)
  const second = await login(ctx, ann)
  await forgot(ctx, ann.email)
  const token = await latestToken(ctx, ann.id)
  const res = await reset(ctx, token, 'a brand new secret')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'password_reset' })

  for (const s of [first, second]) {
    const me = await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: s.auth })
    t.equal(me.statusCode, 401)
    t.equal(me.json().error.code, 'AUTH_SESSION_REVOKED', 'the old access token is refused')
    const refresh = await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: s.sessionToken } })
    t.equal(refresh.statusCode, 401, 'the old session token is refused')
  }
  const sessions = await ctx.sql`select revoked_reason from auth.sessions where user_id = ${ann.id}`
  t.same(sessions.map((s) => s.revoked_reason), ['password.reset', 'password.reset'])

  const old = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: ann.email, password: ann.password } })
  t.equal(old.statusCode, 401, 'the old password no longer works')
  const fresh = await login(ctx, { email: ann.email, password: 'a brand new secret' })
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: fresh.auth })).statusCode, 200)

  const [user] = await ctx.sql`select password_changed_at from auth.users where id = ${ann.id}`
  t.type(user?.password_changed_at, Date)
  t.equal((await ctx.sql`select count(*)::int as n from auth.password_reset_tokens where used_at is not null`)[0]?.n, 1)
  const [audit] = await ctx.sql`select actor_id, subject_user_id, outcome, details from auth.audit_log where action = 'password.reset'`
  t.same({ ...audit }, { actor_id: ann.id, subject_user_id: ann.id, outcome: 'success', details: { sessionsEnded: 2 } })
  const changed = (await outbox(ctx.sql)).filter((e) => e.type === 'user.password.changed')
  t.equal(changed.length, 1)
  t.same(changed[0]?.envelope.data, { userId: ann.id, email: ann.email, displayName: ann.displayName, changedAt: (user?.password_changed_at as Date).toISOString(), via: 'reset' })
  t.notOk(JSON.stringify(changed[0]?.envelope).includes('a brand new secret'), 'no password in the notice event')
})

t.test('a reset kills every other link still out for the account', async (t) => {
  let now = Date.now()
  const ctx = await buildAuth(t, {}, { now: () => new Date(now) })
  const ann = await createVerifiedUser(ctx)
  await forgot(ctx, ann.email)
  const older = await latestToken(ctx, ann.id)
  now += 61_000
  await forgot(ctx, ann.email)
  const newer = await latestToken(ctx, ann.id)
  t.not(older, newer)
  t.equal((await reset(ctx, older, 'the first new secret')).statusCode, 200, 'an older link still works while unused')
  const res = await reset(ctx, newer, 'the second new secret')
  t.equal(res.statusCode, 410)
  t.equal(res.json().error.code, 'AUTH_RESET_TOKEN_USED')
})

t.test('a link expires after an hour (with a clock the test moves)', async (t) => {
  let now = Date.now()
  const ctx = await buildAuth(t, {}, { now: () => new Date(now) })
  const ann = await createVerifiedUser(ctx)
  await forgot(ctx, ann.email)
  const expired = await latestToken(ctx, ann.id)
  now += 3600_000 + 1000
  const res = await reset(ctx, expired, 'too late a secret')
  t.equal(res.statusCode, 410)
  t.equal(res.json().error.code, 'AUTH_RESET_TOKEN_EXPIRED')
  const page = await ctx.app.inject({ method: 'GET', url: `/auth/password/reset?token=${expired}` })
  t.equal(page.statusCode, 410)
  t.match(page.body, /has expired/)
  t.match(page.body, /href="\/auth\/password\/forgot"/)
  const [audit] = await ctx.sql`select outcome, subject_user_id, details from auth.audit_log where action = 'password.reset'`
  t.same({ ...audit }, { outcome: 'failure', subject_user_id: ann.id, details: { reason: 'token_expired' } })

  await forgot(ctx, ann.email)
  const fresh = await latestToken(ctx, ann.id)
  now += 59 * 60_000
  t.equal((await reset(ctx, fresh, 'just in time secret')).statusCode, 200, 'a link works for the whole hour')
  await login(ctx, { email: ann.email, password: 'just in time secret' })
})

t.test('PASSWORD_RESET_TTL_MINUTES sets how long a link works', async (t) => {
  let now = Date.now()
  const ctx = await buildAuth(t, { PASSWORD_RESET_TTL_MINUTES: '10' }, { now: () => new Date(now) })
  const ann = await createVerifiedUser(ctx)
  await forgot(ctx, ann.email)
  const token = await latestToken(ctx, ann.id)
  now += 10 * 60_000 + 1000
  t.equal((await reset(ctx, token, 'too late a secret')).json().error.code, 'AUTH_RESET_TOKEN_EXPIRED')
})

t.test('an unknown token is refused without a hint, and the page offers to ask again', async (t) => {
  const ctx = await buildAuth(t)
  const res = await reset(ctx, 'A'.repeat(43), 'whatever secret')
  t.equal(res.statusCode, 400)
  t.equal(res.json().error.code, 'AUTH_RESET_TOKEN_INVALID')
  const page = await ctx.app.inject({ method: 'GET', url: `/auth/password/reset?token=${'A'.repeat(43)}` })
  t.equal(page.statusCode, 400)
  t.equal(page.headers['cache-control'], 'no-store')
  t.match(page.body, /not valid/)
  t.match(page.body, /<a id="ask-again" href="\/auth\/password\/forgot">/)
  const post = await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: formBody({ token: '<b>', password: 'whatever secret', passwordConfirm: 'whatever secret' }), headers: form })
  t.equal(post.statusCode, 400)
  t.match(post.body, /not valid/)
  t.notMatch(post.body, /<b>/)
  t.equal((await ctx.sql`select count(*)::int as n from auth.audit_log`)[0]?.n, 0, 'nothing to attribute an unknown token to')
})

t.test('a disabled account cannot use a link it got before', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  await forgot(ctx, ann.email)
  const token = await latestToken(ctx, ann.id)
  await ctx.sql`update auth.users set disabled_at = now() where id = ${ann.id}`
  const res = await reset(ctx, token, 'a brand new secret')
  t.equal(res.statusCode, 403)
  t.equal(res.json().error.code, 'AUTH_ACCOUNT_DISABLED')
  t.equal((await ctx.sql`select password_changed_at from auth.users`)[0]?.password_changed_at, null)
})

t.test('a reset works while login is being delayed for the account, and lets the owner straight back in', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const attempt = async (password: string) => await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: ann.email, password } })
  let delayed = false
  for (let i = 0; i < 20 && !delayed; i++) delayed = (await attempt('a wrong guess')).statusCode === 429
  t.ok(delayed, 'failed guesses delay the login')
  t.equal((await attempt(ann.password)).statusCode, 429, 'even the right password waits')
  t.equal((await forgot(ctx, ann.email)).statusCode, 202)
  const res = await reset(ctx, await latestToken(ctx, ann.id), 'a brand new secret')
  t.equal(res.statusCode, 200)
  await login(ctx, { email: ann.email, password: 'a brand new secret' })
})

t.test('the forgot page is a plain form', async (t) => {
  const ctx = await buildAuth(t)
  const page = await ctx.app.inject({ method: 'GET', url: '/auth/password/forgot' })
  t.equal(page.statusCode, 200)
  t.equal(page.headers['referrer-policy'], 'no-referrer')
  t.match(page.body, /<form method="post" action="\/auth\/password\/forgot">/)
  t.match(page.body, /<input type="email" id="email" name="email"/)
  t.notMatch(page.body, /<script/i)
})

type Case = [name: string, method: 'GET' | 'POST', url: string, payload: string | undefined]
const token = 'A'.repeat(43)
const cases: Case[] = [
  ['forgot: missing email', 'POST', '/auth/password/forgot', '{}'],
  ['forgot: extra field', 'POST', '/auth/password/forgot', JSON.stringify({ email: 'a@example.org', admin: true })],
  ['forgot: wrong type', 'POST', '/auth/password/forgot', JSON.stringify({ email: 42 })],
  ['forgot: not an email', 'POST', '/auth/password/forgot', JSON.stringify({ email: 'nope' })],
  ['forgot: a 10 000-character email', 'POST', '/auth/password/forgot', JSON.stringify({ email: `${'a'.repeat(9990)}@example.org` })],
  ['forgot: malformed JSON', 'POST', '/auth/password/forgot', '{"email":'],
  ['forgot: empty body', 'POST', '/auth/password/forgot', ''],
  ['forgot: null', 'POST', '/auth/password/forgot', 'null'],
  ['forgot: an array', 'POST', '/auth/password/forgot', '["a@example.org"]'],
  ['forgot page: unknown parameter', 'GET', '/auth/password/forgot?x=1', undefined],
  ['reset page: no token', 'GET', '/auth/password/reset', undefined],
  ['reset page: a malformed token', 'GET', '/auth/password/reset?token=%3Cscript%3E', undefined],
  ['reset page: a 10 000-character token', 'GET', `/auth/password/reset?token=${'A'.repeat(10000)}`, undefined],
  ['reset page: an extra parameter', 'GET', `/auth/password/reset?token=${token}&x=1`, undefined],
  ['reset: missing password', 'POST', '/auth/password/reset', JSON.stringify({ token })],
  ['reset: missing token', 'POST', '/auth/password/reset', JSON.stringify({ password: 'long enough' })],
  ['reset: extra field', 'POST', '/auth/password/reset', JSON.stringify({ token, password: 'long enough', role: 'admin' })],
  ['reset: wrong types', 'POST', '/auth/password/reset', JSON.stringify({ token: 1, password: 12345678 })],
  ['reset: password too short', 'POST', '/auth/password/reset', JSON.stringify({ token, password: 'short' })],
  ['reset: password too long', 'POST', '/auth/password/reset', JSON.stringify({ token, password: 'x'.repeat(129) })],
  ['reset: a 10 000-character token', 'POST', '/auth/password/reset', JSON.stringify({ token: 'A'.repeat(10000), password: 'long enough' })],
  ['reset: confirmation of the wrong type', 'POST', '/auth/password/reset', JSON.stringify({ token, password: 'long enough', passwordConfirm: ['long enough'] })],
  ['reset: confirmation differs', 'POST', '/auth/password/reset', JSON.stringify({ token, password: 'long enough', passwordConfirm: 'other enough' })],
  ['reset: malformed JSON', 'POST', '/auth/password/reset', '{"token":"'],
  ['reset: NUL in the password', 'POST', '/auth/password/reset', JSON.stringify({ token, password: 'long\u0000enough' })]
]

t.test('bad input on every reset route gets a 4xx in the error model, and writes nothing', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const before = (await outbox(ctx.sql)).length
  for (const [name, method, url, payload] of cases) {
    const res = await ctx.app.inject({ method, url, ...(payload === undefined ? {} : { payload, headers: { 'content-type': 'application/json' } }) })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`)
    const body = res.json()
    t.type(body.error?.code, 'string', `${name}: error code`)
    t.type(body.error?.message, 'string', `${name}: error message`)
    t.type(body.error?.requestId, 'string', `${name}: request id`)
  }
  t.equal((await outbox(ctx.sql)).length, before, 'no event')
  t.equal((await ctx.sql`select count(*)::int as n from auth.password_reset_tokens`)[0]?.n, 0)
  t.equal((await ctx.sql`select password_changed_at from auth.users where id = ${ann.id}`)[0]?.password_changed_at, null)
})
