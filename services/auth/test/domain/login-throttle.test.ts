import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { ConfigError } from '@dreamseed/kit'
import { loadAuthConfig } from '../../src/config.js'
import { loginFailureKeys } from '../../src/repositories/login-failures-repository.js'
import { buildAuth, createVerifiedUser } from '../helper.js'

type Ctx = Awaited<ReturnType<typeof buildAuth>>

/** A clock the test moves, so waits of seconds cost no time. */
function testClock () {
  let ms = Date.now()
  return { now: () => new Date(ms), advance: (seconds: number) => { ms += seconds * 1000 } }
}

async function attempt (ctx: Ctx, email: string, password: string, options: { ip?: string, headers?: Record<string, string> } = {}) {
  return await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress: options.ip ?? '127.0.0.1', headers: options.headers ?? {} })
}

t.test('repeated failures make the account wait longer each time (1 s, 2 s, 4 s), and then the right password gets in', async (t) => {
  const clock = testClock()
  const ctx = await buildAuth(t, {}, { now: clock.now })
  const user = await createVerifiedUser(ctx)

  for (let i = 1; i <= 6; i++) {
    const res = await attempt(ctx, user.email, `wrong ${i}`)
    t.equal(res.statusCode, 401, `failure ${i} is checked`)
    t.equal(res.json().error.code, 'AUTH_INVALID_CREDENTIALS')
  }
  for (const wait of [1, 2, 4]) {
    const queries = ctx.app.database.queryCount()
    const refused = await attempt(ctx, user.email, user.password)
    t.equal(refused.statusCode, 429, `refused while waiting ${wait} s, even with the right password`)
    t.equal(refused.headers['retry-after'], String(wait))
    t.same(refused.json(), { error: { code: 'AUTH_LOGIN_DELAYED', message: refused.json().error.message, requestId: refused.headers['x-request-id'] } })
    t.equal(ctx.app.database.queryCount(), queries, 'refused before the account is even looked up')
    clock.advance(wait)
    if (wait < 4) t.equal((await attempt(ctx, user.email, 'wrong again')).statusCode, 401, 'after the wait, the next attempt is checked')
  }
  const ok = await attempt(ctx, user.email, user.password)
  t.equal(ok.statusCode, 200, 'the right password after the wait signs in')

  for (let i = 1; i <= 6; i++) t.equal((await attempt(ctx, user.email, 'wrong')).statusCode, 401, `after a sign-in the count starts over (${i})`)
  t.equal((await attempt(ctx, user.email, 'wrong')).statusCode, 429)
})

t.test('the wait never exceeds its cap, attempts during it do not extend it, and there is no lockout', async (t) => {
  const clock = testClock()
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '2', LOGIN_THROTTLE_MAX_DELAY_S: '5' }, { now: clock.now })
  const user = await createVerifiedUser(ctx)
  const waits: number[] = []
  for (let i = 0; i < 14; i++) {
    const res = await attempt(ctx, user.email, 'wrong')
    if (res.statusCode === 429) {
      const wait = Number(res.headers['retry-after'])
      waits.push(wait)
      clock.advance(wait)
    } else {
      t.equal(res.statusCode, 401)
    }
  }
  t.same(waits, [1, 2, 4, 5, 5, 5], 'doubling, then capped')

  // One more failure starts a (capped) wait; an attacker hammering through it is refused every time, and none
  // of those attempts pushes the wait further out.
  t.equal((await attempt(ctx, user.email, 'wrong')).statusCode, 401)
  for (let i = 0; i < 20; i++) {
    const res = await attempt(ctx, user.email, 'wrong')
    t.equal(res.statusCode, 429)
    t.equal(res.headers['retry-after'], '5')
  }
  clock.advance(5)
  t.equal((await attempt(ctx, user.email, user.password)).statusCode, 200, 'the owner gets in once the capped wait is over')
})

t.test('counts expire: after the window a fresh start, whatever the clock says', async (t) => {
  const clock = testClock()
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '1', LOGIN_THROTTLE_WINDOW_S: '1' }, { now: clock.now })
  const user = await createVerifiedUser(ctx)
  await attempt(ctx, user.email, 'wrong')
  await attempt(ctx, user.email, 'wrong')
  t.equal((await attempt(ctx, user.email, user.password)).statusCode, 429)
  const keys = loginFailureKeys(ctx.prefix, user.email, '127.0.0.1')
  const ttl = await ctx.app.redis.pttl(keys.account)
  t.ok(ttl > 0 && ttl <= 1000, `the account's count expires in Redis (${ttl} ms left)`)
  t.ok(await ctx.app.redis.pttl(keys.address) <= 1000, 'so does the address\'s')
  await sleep(1200)
  t.equal((await attempt(ctx, user.email, user.password)).statusCode, 200, 'the test clock did not move; Redis forgot the failures')
})

t.test('unknown addresses are counted and refused exactly like known ones', async (t) => {
  const clock = testClock()
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '2' }, { now: clock.now })
  const ghost = 'nobody.here@example.org'
  for (let i = 0; i < 3; i++) t.equal((await attempt(ctx, ghost, 'whatever')).statusCode, 401)
  const refused = await attempt(ctx, ghost, 'whatever')
  t.equal(refused.statusCode, 429)
  t.equal(refused.json().error.code, 'AUTH_LOGIN_DELAYED')
  t.equal((await attempt(ctx, 'NOBODY.Here@Example.org', 'whatever')).statusCode, 429, 'the count is per normalized address')
})

t.test('failures are counted per client address too, and one address\'s failures do not delay another\'s', async (t) => {
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_IP_FREE_FAILURES: '3' })
  const user = await createVerifiedUser(ctx)
  // Four different accounts, one failure each: no account is delayed, but the address is.
  for (let i = 0; i < 4; i++) t.equal((await attempt(ctx, `stuffing${i}@example.org`, 'password1', { ip: '198.51.100.7' })).statusCode, 401)
  const refused = await attempt(ctx, user.email, user.password, { ip: '198.51.100.7' })
  t.equal(refused.statusCode, 429, 'the address waits, whichever account it tries')
  t.equal(refused.json().error.code, 'AUTH_LOGIN_DELAYED')
  t.equal((await attempt(ctx, user.email, user.password, { ip: '198.51.100.8' })).statusCode, 200, 'another address signs in')
})

t.test('a client cannot dodge the address count with X-Forwarded-For unless TRUST_PROXY names its proxy', async (t) => {
  await t.test('TRUST_PROXY unset: the header is ignored', async (t) => {
    const ctx = await buildAuth(t, { LOGIN_THROTTLE_IP_FREE_FAILURES: '2' })
    for (let i = 0; i < 3; i++) await attempt(ctx, `x${i}@example.org`, 'password1', { headers: { 'x-forwarded-for': `203.0.113.${i}` } })
    t.equal((await attempt(ctx, 'y@example.org', 'password1', { headers: { 'x-forwarded-for': '203.0.113.99' } })).statusCode, 429)
  })
  await t.test('TRUST_PROXY=127.0.0.1: the proxy\'s header gives the client address, in the count and in the audit log', async (t) => {
    const ctx = await buildAuth(t, { LOGIN_THROTTLE_IP_FREE_FAILURES: '2', TRUST_PROXY: '127.0.0.1' })
    const user = await createVerifiedUser(ctx)
    for (let i = 0; i < 3; i++) await attempt(ctx, `x${i}@example.org`, 'password1', { headers: { 'x-forwarded-for': '203.0.113.7' } })
    t.equal((await attempt(ctx, user.email, user.password, { headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode, 429)
    t.equal((await attempt(ctx, user.email, user.password, { headers: { 'x-forwarded-for': '203.0.113.8' } })).statusCode, 200)
    const ips = await ctx.sql`select distinct ip from auth.audit_log where action = 'login'`
    t.same(ips.map((r) => r.ip).sort(), ['203.0.113.7', '203.0.113.8'])
    // Someone reaching auth directly (not through the proxy) cannot choose their address.
    for (let i = 0; i < 3; i++) await attempt(ctx, `z${i}@example.org`, 'password1', { ip: '192.0.2.1', headers: { 'x-forwarded-for': `203.0.113.${20 + i}` } })
    t.equal((await attempt(ctx, user.email, user.password, { ip: '192.0.2.1', headers: { 'x-forwarded-for': '203.0.113.50' } })).statusCode, 429)
  })
})

t.test('a delayed account can still ask for a password reset', async (t) => {
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '1' })
  const user = await createVerifiedUser(ctx)
  await attempt(ctx, user.email, 'wrong')
  await attempt(ctx, user.email, 'wrong')
  t.equal((await attempt(ctx, user.email, user.password)).statusCode, 429)
  const forgot = await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: user.email } })
  t.equal(forgot.statusCode, 202, 'the reset is not throttled by failed logins')
})

t.test('a failed login is audited with who, when, from where and with what', async (t) => {
  const clock = testClock()
  const ctx = await buildAuth(t, {}, { now: clock.now })
  const user = await createVerifiedUser(ctx)
  await attempt(ctx, user.email, 'wrong', { ip: '198.51.100.20', headers: { 'user-agent': 'Guesser/1.0' } })
  await attempt(ctx, 'ghost@example.org', 'wrong', { ip: '198.51.100.21', headers: { 'user-agent': 'Guesser/2.0' } })
  const rows = await ctx.sql`select subject_user_id, actor_id, organization_id, outcome, ip, user_agent, details, created_at from auth.audit_log where action = 'login' order by id`
  t.match(rows, [
    { subject_user_id: user.id, actor_id: null, outcome: 'failure', ip: '198.51.100.20', user_agent: 'Guesser/1.0', details: { reason: 'wrong_password' } },
    { subject_user_id: null, actor_id: null, outcome: 'failure', ip: '198.51.100.21', user_agent: 'Guesser/2.0', details: { reason: 'unknown_email' } }
  ])
  t.equal((rows[0]?.created_at as Date).getTime(), clock.now().getTime(), 'when, by the service\'s clock')
})

t.test('a stranger guessing from one address never delays the owner signing in from another, for a whole window', async (t) => {
  // The defaults: 5 free failures per account and address, 50 per account from everywhere, waits up to 15 min.
  const clock = testClock()
  const ctx = await buildAuth(t, {}, { now: clock.now })
  const owner = await createVerifiedUser(ctx)
  const stranger = { ip: '203.0.113.66' }
  const ownersAddress = { ip: '198.51.100.20' }
  const start = clock.now().getTime()
  let failures = 0
  let refusals = 0
  while (clock.now().getTime() - start < 3600_000) {
    const guess = await attempt(ctx, owner.email, `guess ${failures}`, stranger)
    if (guess.statusCode === 401) {
      failures++
      continue
    }
    t.equal(guess.statusCode, 429)
    refusals++
    // The stranger must wait: the owner, from their own address, must not.
    const signIn = await attempt(ctx, owner.email, owner.password, ownersAddress)
    if (signIn.statusCode !== 200) {
      t.fail(`the owner was refused (${signIn.statusCode}) while the stranger waited, after ${failures} failures from the stranger's address`)
      break
    }
    clock.advance(Number(guess.headers['retry-after']))
  }
  t.ok(refusals > 0, `the stranger's address was made to wait (${refusals} times)`)
  t.ok(failures > 5 && failures < 50, `the stranger got ${failures} guesses in the hour, below the account's allowance`)
  const last = await attempt(ctx, owner.email, owner.password, ownersAddress)
  t.equal(last.statusCode, 200, 'the owner signs in from their address')
})

t.test('the owner\'s own failures delay only their address, and a right password from it clears them', async (t) => {
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '2' })
  const user = await createVerifiedUser(ctx)
  for (let i = 0; i < 3; i++) await attempt(ctx, user.email, 'typo', { ip: '198.51.100.30' })
  t.equal((await attempt(ctx, user.email, user.password, { ip: '198.51.100.30' })).statusCode, 429, 'that address waits')
  t.equal((await attempt(ctx, user.email, user.password, { ip: '198.51.100.31' })).statusCode, 200, 'another does not')
})

t.test('failures from many addresses together are capped per account: a spread-out guesser is stopped past the larger allowance', async (t) => {
  const clock = testClock()
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '3', LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES: '10' }, { now: clock.now })
  const owner = await createVerifiedUser(ctx)
  // Two guesses from each of many addresses: no address reaches its own allowance.
  let n = 0
  for (; n < 11; n++) t.equal((await attempt(ctx, owner.email, `guess ${n}`, { ip: `203.0.113.${100 + Math.floor(n / 2)}` })).statusCode, 401, `guess ${n + 1} is checked`)
  const stopped = await attempt(ctx, owner.email, `guess ${n}`, { ip: '203.0.113.200' })
  t.equal(stopped.statusCode, 429, 'past 10 failures to the account, a new address is refused at once')
  t.equal(stopped.json().error.code, 'AUTH_LOGIN_DELAYED')
  t.equal(stopped.headers['retry-after'], '1')
  t.equal((await attempt(ctx, owner.email, owner.password, { ip: '198.51.100.40' })).statusCode, 429, 'the cap holds for everyone while its wait runs')
  clock.advance(1)
  t.equal((await attempt(ctx, owner.email, 'guess', { ip: '203.0.113.201' })).statusCode, 401)
  const longer = await attempt(ctx, owner.email, 'guess', { ip: '203.0.113.202' })
  t.equal(longer.headers['retry-after'], '2', 'and each further failure doubles it')
  clock.advance(2)
  t.equal((await attempt(ctx, owner.email, owner.password, { ip: '198.51.100.40' })).statusCode, 200, 'the owner gets in once the wait is over')
  t.equal((await attempt(ctx, owner.email, owner.password, { ip: '198.51.100.41' })).statusCode, 200, 'and their sign-in added no wait of its own')
  t.equal((await attempt(ctx, owner.email, 'guess', { ip: '203.0.113.203' })).statusCode, 401)
  const still = await attempt(ctx, owner.email, 'guess', { ip: '203.0.113.204' })
  t.equal(still.statusCode, 429, 'a right password does not take back the strangers\' failures')
  t.equal(still.headers['retry-after'], '4', 'the 13th failure to the account: the doubling goes on from the strangers\' 12 (the owner\'s sign-ins are not among them)')
})

t.test('a password reset clears every count of the account, from every address', async (t) => {
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '1', LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES: '3' })
  const user = await createVerifiedUser(ctx)
  for (const ip of ['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.3']) await attempt(ctx, user.email, 'wrong', { ip })
  t.equal((await attempt(ctx, user.email, user.password, { ip: '203.0.113.1' })).statusCode, 429)
  t.equal((await attempt(ctx, user.email, user.password, { ip: '203.0.113.9' })).statusCode, 429, 'the account\'s cap is reached')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email: user.email } })).statusCode, 202)
  const [event] = await ctx.sql`select envelope from auth.outbox where type = 'user.password_reset.requested'`
  const data = (event?.envelope as { data: { userId: string, reset: { sealedToken: string } } }).data
  const { unseal, passwordResetSealContext } = await import('@dreamseed/events')
  const token = unseal(ctx.sealKey, data.reset.sealedToken, passwordResetSealContext(data.userId))
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/password/reset', payload: { token, password: 'a brand new password' } })).statusCode, 200)
  t.equal(await ctx.app.redis.exists(loginFailureKeys(ctx.prefix, user.email, '203.0.113.1').account), 0, 'one key held it all')
  for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.9']) t.equal((await attempt(ctx, user.email, 'a brand new password', { ip })).statusCode, 200, `${ip} is not delayed`)
})

t.test('the per-account allowance cannot be set below the per-address one', async (t) => {
  const base = { NODE_ENV: 'test', LOGIN_THROTTLE_FREE_FAILURES: '20', LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES: '10' }
  const err = t.throws(() => loadAuthConfig(base)) as ConfigError
  t.same(err.problems, ['LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES is invalid: 10 is below LOGIN_THROTTLE_FREE_FAILURES (20)'])
  t.equal(loadAuthConfig({ NODE_ENV: 'test' }).loginAccountFreeFailures, 50, 'the default')
})
