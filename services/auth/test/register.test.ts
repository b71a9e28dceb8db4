import t from 'tap'
import { verify } from '@node-rs/argon2'
import { unseal, verificationSealContext } from '@dreamseed/events'
import { buildAuth, newUser, outbox } from './helper.js'

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

t.test('registering an existing address answers exactly the same and mails its owner instead of creating a second account', async (t) => {
  const { app, sql } = await buildAuth(t)
  const user = newUser()
  const first = await app.inject({ method: 'POST', url: '/auth/register', payload: user })
  const second = await app.inject({ method: 'POST', url: '/auth/register', payload: { ...user, email: user.email.toUpperCase(), password: 'another password', role: 'teacher' } })
  t.equal(second.statusCode, first.statusCode)
  t.equal(second.body, first.body)
  t.same(Object.keys(second.headers).sort(), Object.keys(first.headers).sort())
  const users = await sql`select role from auth.users`
  t.equal(users.length, 1)
  t.equal(users[0]?.role, 'student', 'the existing account is untouched')
  t.same((await outbox(sql)).map((e) => e.type), ['user.created', 'user.registration.repeated'])
})

t.test('concurrent registrations of one address create one account', async (t) => {
  const { app, sql } = await buildAuth(t)
  const user = newUser()
  const results = await Promise.all(Array.from({ length: 5 }, async () => await app.inject({ method: 'POST', url: '/auth/register', payload: user })))
  t.same(results.map((r) => r.statusCode), [202, 202, 202, 202, 202])
  t.equal((await sql`select count(*)::int as n from auth.users`)[0]?.n, 1)
  const types = (await outbox(sql)).map((e) => e.type).sort()
  t.same(types, ['user.created', 'user.registration.repeated', 'user.registration.repeated', 'user.registration.repeated', 'user.registration.repeated'])
})

t.test('registration costs the password hash plus one transaction: a fixed number of queries whether the address is new or not', async (t) => {
  const { app } = await buildAuth(t)
  const user = newUser()
  const count = async (payload: object) => {
    const before = app.database.queryCount()
    await app.inject({ method: 'POST', url: '/auth/register', payload })
    return app.database.queryCount() - before
  }
  const fresh = await count(user)
  const again = await count(user)
  t.equal(fresh, 3, 'insert user, insert token, insert outbox row')
  t.equal(again, 3, 'insert (conflict), select, insert outbox row')
})

t.test('admin cannot be self-assigned', async (t) => {
  const { app, sql } = await buildAuth(t)
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: newUser({ role: 'admin' }) })
  t.equal(res.statusCode, 400)
  t.equal(res.json().error.code, 'VALIDATION_FAILED')
  t.equal((await sql`select count(*)::int as n from auth.users`)[0]?.n, 0)
})

t.test('the relay puts user.created on JetStream', async (t) => {
  const { app, sql } = await buildAuth(t)
  await app.inject({ method: 'POST', url: '/auth/register', payload: newUser() })
  const { waitFor } = await import('@dreamseed/testing')
  await waitFor(async () => (await sql`select count(*)::int as n from auth.outbox where published_at is not null`)[0]?.n === 1, { what: 'published' })
  t.pass('published')
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
