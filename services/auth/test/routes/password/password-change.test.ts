import t from 'tap'
import { passwordResetSealContext, unseal } from '@dreamseed/events'
import { buildAuth, createVerifiedUser, login, outbox } from '../../helper.js'

type Auth = Awaited<ReturnType<typeof buildAuth>>

async function change (ctx: Auth, auth: Record<string, string>, body: unknown) {
  return await ctx.app.inject({ method: 'POST', url: '/auth/password/change', payload: body as object, headers: auth })
}

t.test('a change checks the current password, ends every other session and keeps the caller\'s', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const caller = await login(ctx, ann)
  const laptop = await login(ctx, ann)
  const phone = await login(ctx, ann)
  const res = await change(ctx, caller.auth, { currentPassword: ann.password, newPassword: 'a better secret' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'password_changed', otherSessionsEnded: 2 })

  for (const other of [laptop, phone]) {
    const me = await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: other.auth })
    t.equal(me.statusCode, 401)
    t.equal(me.json().error.code, 'AUTH_SESSION_REVOKED', 'another session\'s access token is refused')
    t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: other.sessionToken } })).statusCode, 401, 'and its session token')
  }
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: caller.auth })).statusCode, 200, 'the caller stays signed in')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { sessionToken: caller.sessionToken } })).statusCode, 200, 'and can refresh')

  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: ann.email, password: ann.password } })).statusCode, 401, 'the old password no longer works')
  await login(ctx, { email: ann.email, password: 'a better secret' })

  const [user] = await ctx.sql`select password_changed_at from auth.users where id = ${ann.id}`
  t.type(user?.password_changed_at, Date)
  const [audit] = await ctx.sql`select actor_id, outcome, details from auth.audit_log where action = 'password.change'`
  t.same({ ...audit }, { actor_id: ann.id, outcome: 'success', details: { sessionsEnded: 2 } })
  const events = (await outbox(ctx.sql)).filter((e) => e.type === 'user.password.changed')
  t.equal(events.length, 1)
  t.equal(events[0]?.envelope.data.via, 'change')
  const serialized = JSON.stringify(events[0]?.envelope)
  t.notOk(serialized.includes('a better secret') || serialized.includes(ann.password), 'no password in the event')
})

t.test('a wrong current password is refused with a stable code, audited, and changes nothing', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const caller = await login(ctx, ann)
  const other = await login(ctx, ann)
  const [before] = await ctx.sql`select password_hash from auth.users where id = ${ann.id}`
  const res = await change(ctx, caller.auth, { currentPassword: 'not my password', newPassword: 'a better secret' })
  t.equal(res.statusCode, 400)
  t.equal(res.json().error.code, 'AUTH_CURRENT_PASSWORD_INCORRECT')
  const [after] = await ctx.sql`select password_hash, password_changed_at from auth.users where id = ${ann.id}`
  t.equal(after?.password_hash, before?.password_hash)
  t.equal(after?.password_changed_at, null)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: other.auth })).statusCode, 200, 'no session ended')
  const [audit] = await ctx.sql`select actor_id, outcome, details from auth.audit_log where action = 'password.change'`
  t.same({ ...audit }, { actor_id: ann.id, outcome: 'failure', details: { reason: 'wrong_password' } })
  t.equal((await outbox(ctx.sql)).filter((e) => e.type === 'user.password.changed').length, 0)
  await login(ctx, ann)
})

t.test('the new password must differ from the current one', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const caller = await login(ctx, ann)
  const res = await change(ctx, caller.auth, { currentPassword: ann.password, newPassword: ann.password })
  t.equal(res.statusCode, 400)
  t.equal(res.json().error.code, 'AUTH_PASSWORD_UNCHANGED')
})

t.test('a change kills reset links still out for the account', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: ann.email } })
  const event = (await outbox(ctx.sql)).find((e) => e.type === 'user.password_reset.requested')!
  const token = unseal(ctx.sealKey, (event.envelope.data.reset as { sealedToken: string }).sealedToken, passwordResetSealContext(ann.id))
  const caller = await login(ctx, ann)
  t.equal((await change(ctx, caller.auth, { currentPassword: ann.password, newPassword: 'a better secret' })).statusCode, 200)
  const res = await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'an attacker secret' } })
  t.equal(res.statusCode, 410)
  t.equal(res.json().error.code, 'AUTH_RESET_TOKEN_USED')
})

t.test('two changes at once: one wins, the other is refused', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const caller = await login(ctx, ann)
  const results = await Promise.all(['first new secret', 'second new secret'].map(async (p) => await change(ctx, caller.auth, { currentPassword: ann.password, newPassword: p })))
  t.same(results.map((r) => r.statusCode).sort(), [200, 400])
  const winner = results[0]?.statusCode === 200 ? 'first new secret' : 'second new secret'
  await login(ctx, { email: ann.email, password: winner })
})

t.test('a change needs a signed-in user', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const anonymous = await change(ctx, {}, { currentPassword: ann.password, newPassword: 'a better secret' })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.json().error.code, 'AUTHENTICATION_REQUIRED')
  const forged = await change(ctx, { authorization: 'Bearer not.a.token' }, { currentPassword: ann.password, newPassword: 'a better secret' })
  t.equal(forged.statusCode, 401)
  const caller = await login(ctx, ann)
  await ctx.app.inject({ method: 'POST', url: '/auth/logout', headers: caller.auth })
  const ended = await change(ctx, caller.auth, { currentPassword: ann.password, newPassword: 'a better secret' })
  t.equal(ended.statusCode, 401)
  t.equal(ended.json().error.code, 'AUTH_SESSION_REVOKED')
  t.equal((await ctx.sql`select password_changed_at from auth.users`)[0]?.password_changed_at, null)
})

t.test('bad input to a change gets a 4xx in the error model, and writes nothing', async (t) => {
  const ctx = await buildAuth(t)
  const ann = await createVerifiedUser(ctx)
  const caller = await login(ctx, ann)
  const cases: Array<[string, string, string?]> = [
    ['missing fields', '{}'],
    ['missing new password', JSON.stringify({ currentPassword: ann.password })],
    ['extra field', JSON.stringify({ currentPassword: ann.password, newPassword: 'a better secret', userId: ann.id })],
    ['wrong types', JSON.stringify({ currentPassword: 1, newPassword: true })],
    ['new password too short', JSON.stringify({ currentPassword: ann.password, newPassword: 'short' })],
    ['new password too long', JSON.stringify({ currentPassword: ann.password, newPassword: 'x'.repeat(129) })],
    ['a 10 000-character current password', JSON.stringify({ currentPassword: 'x'.repeat(10000), newPassword: 'a better secret' })],
    ['empty current password', JSON.stringify({ currentPassword: '', newPassword: 'a better secret' })],
    ['malformed JSON', '{"currentPassword":'],
    ['empty body', ''],
    ['null', 'null'],
    ['form-encoded', 'currentPassword=x&newPassword=y', 'application/x-www-form-urlencoded'],
    ['unsupported type', 'a,b', 'text/csv']
  ]
  for (const [name, payload, type] of cases) {
    const res = await ctx.app.inject({ method: 'POST', url: '/auth/password/change', payload, headers: { ...caller.auth, 'content-type': type ?? 'application/json' } })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode}`)
    const body = res.json()
    t.type(body.error?.code, 'string', `${name}: error code`)
    t.type(body.error?.requestId, 'string', `${name}: request id`)
  }
  t.equal((await ctx.sql`select password_changed_at from auth.users`)[0]?.password_changed_at, null)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/auth/me', headers: caller.auth })).statusCode, 200)
})
