import t from 'tap'
import { verify } from '@node-rs/argon2'
import { connect } from '@nats-io/transport-node'
import { jetstream } from '@nats-io/jetstream'
import { streamFor, unseal, verificationSealContext } from '@dreamseed/events'
import { NATS_URL, waitFor } from '@dreamseed/testing'
import { buildAuth, createVerifiedUser, newUser, outbox } from '../../helper.js'

async function signedIn (ctx: Awaited<ReturnType<typeof buildAuth>>, user: { email: string, password: string }): Promise<{ role: string, displayName: string }> {
  const res = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password } })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
  return res.json().user
}

function unsealVerification (sealKey: Buffer, envelope: { data: Record<string, unknown> }): string {
  return unseal(sealKey, (envelope.data.verification as { sealedToken: string }).sealedToken, verificationSealContext(envelope.data.userId as string))
}

t.test('registration stores the user with an argon2id hash and writes user.created to the outbox in one go', async (t) => {
  const { app, sql, sealKey } = await buildAuth(t)
  const user = newUser({ email: 'Ann.Smith@Example.ORG' })
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: user, headers: { 'x-request-id': 'reg-1' } })
  t.equal(res.statusCode, 202)
  t.same(res.json(), { status: 'pending_verification', message: 'Check your inbox to confirm your address.' })

  const [row] = await sql`select * from auth.users`
  t.equal(row?.email, 'ann.smith@example.org', 'stored lower-cased')
  t.equal(row?.role, 'student')
  t.equal(row?.email_verified_at, null)
  t.match(row?.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  t.ok(await verify(row?.password_hash as string, user.password))

  const events = await outbox(sql)
  t.equal(events.length, 1)
  const event = events[0]!.envelope
  t.equal(event.type, 'user.created')
  t.equal(event.requestId, 'reg-1', 'the request id travels with the event')
  t.equal(event.data.userId, row?.id)
  t.equal(event.data.email, 'ann.smith@example.org')
  const text = JSON.stringify(event)
  t.notMatch(text, new RegExp(user.password), 'no password in the event')
  t.notMatch(text, /argon2/, 'no hash in the event')
  const [token] = await sql`select token_hash, expires_at from auth.verification_tokens`
  const raw = unseal(sealKey, (event.data.verification as { sealedToken: string }).sealedToken, verificationSealContext(row?.id as string))
  t.match(raw, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit token, sealed for the mailer')
  t.notMatch(text, raw, 'the raw token is not in the event')
  t.not(token?.token_hash, raw, 'only a hash of the token is stored')
  const hours = ((token?.expires_at as Date).getTime() - Date.now()) / 3600_000
  t.ok(hours > 23.9 && hours <= 24, 'expires in 24 h by default')
})

/** The answer without what differs on every request anyway (its id, the clock). */
function answer (res: { statusCode: number, headers: Record<string, unknown>, body: string }) {
  const headers = { ...res.headers }
  delete headers['x-request-id']
  delete headers.date
  return { status: res.statusCode, headers, body: res.body }
}

t.test('registering a verified address answers exactly the same, changes nothing and tells its owner', async (t) => {
  const ctx = await buildAuth(t)
  const owner = await createVerifiedUser(ctx)
  const before = await ctx.sql`select password_hash, display_name, role, email_verified_at from auth.users`
  const first = await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: newUser() })
  const again = await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: { email: owner.email.toUpperCase(), password: 'another password', role: 'teacher', displayName: 'Mallory' } })
  t.same(answer(again), answer(first), 'status, header names and values, body')
  t.same(await ctx.sql`select password_hash, display_name, role, email_verified_at from auth.users where email = ${owner.email}`, before, 'the verified account is untouched')
  t.equal((await ctx.sql`select count(*)::int as n from auth.users`)[0]?.n, 2)
  const repeated = (await outbox(ctx.sql)).filter((e) => e.type === 'user.registration.repeated')
  t.equal(repeated.length, 1)
  t.same(repeated[0]!.envelope.data, { userId: owner.id, email: owner.email, displayName: owner.displayName }, 'the owner\'s name, not the one just typed')
  t.equal((await signedIn(ctx, owner)).role, 'student', 'the owner signs in with their own password, role unchanged')
})

t.test('registering an address never verified gives its account to this registration: its password, name and role, and a new link', async (t) => {
  // Account pre-hijacking: a stranger registers someone's address first, with a password of their own.
  let now = Date.now()
  const ctx = await buildAuth(t, {}, { now: () => new Date(now) })
  const mallory = newUser({ email: 'ann@example.org', password: 'mallory knows this', role: 'teacher', displayName: 'Mallory' })
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: mallory })).statusCode, 202)
  const [created] = await outbox(ctx.sql)
  const userId = created!.envelope.data.userId as string
  const mallorysLink = unsealVerification(ctx.sealKey, created!.envelope)

  // The owner of the address registers (after the resend interval: a new mail goes out).
  now += 61_000
  const ann = newUser({ email: 'Ann@Example.org', password: 'ann chose this one', role: 'student', displayName: 'Ann' })
  const res = await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: ann })
  t.equal(res.statusCode, 202)
  const [row] = await ctx.sql`select id, password_hash, display_name, role, email_verified_at from auth.users`
  t.equal(row?.id, userId, 'the same account')
  t.ok(await verify(row?.password_hash as string, ann.password), 'the new registration\'s password')
  t.notOk(await verify(row?.password_hash as string, mallory.password), 'the first registrant\'s password is gone')
  t.equal(row?.display_name, 'Ann')
  t.equal(row?.role, 'student')
  t.equal(row?.email_verified_at, null)
  const events = (await outbox(ctx.sql)).slice(1)
  t.same(events.map((e) => e.type), ['user.verification.requested', 'user.role.changed'], 'a new link, and the role change announced')
  t.match(events[1]!.envelope.data, { userId, organizationId: null, previousRole: 'teacher', role: 'student', changedBy: null })
  t.same((await outbox(ctx.sql)).filter((e) => e.type === 'user.registration.repeated'), [], 'no "already have an account" mail')
  const annsLink = unsealVerification(ctx.sealKey, events[0]!.envelope)

  const verifyWith = async (token: string, password: string) => await ctx.app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password } })
  t.equal((await verifyWith(mallorysLink, mallory.password)).json().error.code, 'AUTH_VERIFICATION_TOKEN_USED', 'the first link was ended')
  t.equal((await verifyWith(annsLink, mallory.password)).json().error.code, 'AUTH_VERIFICATION_PASSWORD_INCORRECT', 'the new link does not take the old password')
  t.equal((await verifyWith(annsLink, ann.password)).statusCode, 200, 'the owner verifies with the mailed link and their password')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: ann.email, password: mallory.password } })).statusCode, 401, 'the first registrant cannot sign in')
  t.equal((await signedIn(ctx, ann)).displayName, 'Ann')
})

t.test('registering an address never verified again within the resend interval sends no new mail; the link already out takes the new password', async (t) => {
  const ctx = await buildAuth(t)
  const first = newUser({ password: 'the first password' })
  await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: first })
  const [created] = await outbox(ctx.sql)
  for (let i = 0; i < 5; i++) t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: { ...first, password: 'the latest password' } })).statusCode, 202)
  t.same((await outbox(ctx.sql)).map((e) => e.type), ['user.created'], 'one mail for six registrations within a minute')
  const token = unsealVerification(ctx.sealKey, created!.envelope)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: 'the first password' } })).statusCode, 401)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: 'the latest password' } })).statusCode, 200)
})

t.test('concurrent registrations of one address create one account', async (t) => {
  const { app, sql } = await buildAuth(t)
  const user = newUser()
  const results = await Promise.all(Array.from({ length: 5 }, async () => await app.inject({ method: 'POST', url: '/auth/register', payload: user })))
  t.same(results.map((r) => r.statusCode), [202, 202, 202, 202, 202])
  t.equal((await sql`select count(*)::int as n from auth.users`)[0]?.n, 1)
  t.same((await outbox(sql)).map((e) => e.type), ['user.created'], 'the others came within the resend interval: no further mail')
})

t.test('registration costs the password hash plus one transaction: the same statements whether the address is new, unverified or verified', async (t) => {
  const ctx = await buildAuth(t, { VERIFICATION_RESEND_INTERVAL_S: '0' })
  const { app } = ctx
  const verified = await createVerifiedUser(ctx)
  const count = async (payload: object) => {
    const before = app.database.queryCount()
    await app.inject({ method: 'POST', url: '/auth/register', payload })
    return app.database.queryCount() - before
  }
  const user = newUser()
  const fresh = await count(user)
  const unverified = await count(user)
  const known = await count(newUser({ email: verified.email, password: 'another password' }))
  t.equal(fresh, 4, 'insert user, lock and read it, issue a token, insert the outbox row')
  t.equal(unverified, 4, 'insert (conflict), lock, read and replace, end the old links and issue a token, insert the outbox row')
  t.equal(known, 4, 'insert (conflict), lock and read, the token statement (issuing nothing), insert the outbox row')
})

t.test('admin cannot be self-assigned', async (t) => {
  const { app, sql } = await buildAuth(t)
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: newUser({ role: 'admin' }) })
  t.equal(res.statusCode, 400)
  t.equal(res.json().error.code, 'VALIDATION_FAILED')
  t.equal((await sql`select count(*)::int as n from auth.users`)[0]?.n, 0)
})

t.test('the relay puts user.created on JetStream, with its data and no token in clear', async (t) => {
  const { app, sql, prefix, sealKey } = await buildAuth(t)
  const user = newUser()
  await app.inject({ method: 'POST', url: '/auth/register', payload: user, headers: { 'x-request-id': 'reg-js' } })
  const [row] = await outbox(sql)
  const nc = await connect({ servers: NATS_URL })
  t.teardown(async () => { await nc.close() })
  const consumer = await jetstream(nc).consumers.get(streamFor(prefix, 'user.created'))
  const message = await consumer.next({ expires: 10000 })
  if (message === null) throw new Error('nothing on the stream')
  t.equal(message.subject, `${prefix}.user.created.v1`)
  t.equal(message.headers?.get('Nats-Msg-Id'), row!.envelope.id, 'the outbox row\'s id, so a second publish is dropped as a duplicate')
  t.equal(message.headers?.get('Ds-Request-Id'), 'reg-js')
  const envelope = message.json<{ id: string, type: string, version: number, data: Record<string, unknown> }>()
  t.same(envelope, row!.envelope, 'the envelope written to the outbox, unchanged')
  t.match(envelope, { type: 'user.created', version: 1, data: { email: user.email.toLowerCase(), displayName: user.displayName, role: 'student', userId: row!.envelope.data.userId } })
  const token = unsealVerification(sealKey, envelope)
  t.match(token, /^[A-Za-z0-9_-]{43}$/)
  const text = message.string()
  t.notMatch(text, token, 'no verification token in clear on the stream')
  t.notMatch(text, user.password, 'no password')
  t.notMatch(text, /argon2/, 'no hash')
  t.equal((await consumer.next({ expires: 1000 })), null, 'nothing else')
  await waitFor(async () => (await sql`select count(*)::int as n from auth.outbox where published_at is not null`)[0]?.n === 1, { what: 'marked published' })
})

t.test('auth serves the AsyncAPI document of the events it produces', async (t) => {
  const { app } = await buildAuth(t)
  const doc = (await app.ops.inject({ method: 'GET', url: '/docs/asyncapi.json' })).json()
  t.equal(doc.asyncapi, '3.0.0')
  const channels = Object.keys(doc.channels)
  t.ok(channels.includes('user.created.v1') && channels.includes('classroom.member.added.v1'))
  t.notOk(channels.some((c) => c.startsWith('exam.')), 'only its own events')
  t.match(doc.components.schemas['user.created.v1'].properties.data.required, ['userId', 'email'])
})
