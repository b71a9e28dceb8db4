// Whether an address has an account must not show in the answers of registration, login, password reset
// requests or verification resends: not in the status, the body, the headers (names and values, the request id
// and the date aside), nor the time taken. Timing is a statistical property: the kinds of request are
// interleaved (so load on the machine hits them alike) and compared by their medians with a generous margin.
import t, { type Test } from 'tap'
import { performance } from 'node:perf_hooks'
import { buildAuth, createVerifiedUser, newUser } from '../helper.js'

type Ctx = Awaited<ReturnType<typeof buildAuth>>
type Response = Awaited<ReturnType<Ctx['app']['inject']>>

// Counting failures and rate limits would change the answers part-way; they are tested on their own.
const UNLIMITED = { LOGIN_THROTTLE_FREE_FAILURES: '1000', LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES: '1000', LOGIN_THROTTLE_IP_FREE_FAILURES: '1000000', AUTH_RATE_LIMIT_MAX: '1000000', AUTH_RATE_LIMIT_STRICT_MAX: '1000000' }
const ROUNDS = 30

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** The answer without what differs on every request anyway (its id, the clock). */
function shape (res: Response) {
  const headers: Record<string, unknown> = { ...res.headers }
  delete headers['x-request-id']
  delete headers.date
  const body = res.json() as { error?: { requestId?: string } }
  if (body.error !== undefined) delete body.error.requestId
  return { status: res.statusCode, headers, body }
}

/** Runs each kind of request `rounds` times, rotating which goes first, and returns every answer and duration. */
async function interleave (kinds: Record<string, () => Promise<Response>>, rounds: number) {
  const names = Object.keys(kinds)
  const out = Object.fromEntries(names.map((n) => [n, { shapes: [] as Array<ReturnType<typeof shape>>, ms: [] as number[] }]))
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!
      const started = performance.now()
      const res = await kinds[name]!()
      out[name]!.ms.push(performance.now() - started)
      out[name]!.shapes.push(shape(res))
    }
  }
  return out
}

function assertSameAnswers (t: Test, results: Awaited<ReturnType<typeof interleave>>, reference: string) {
  const expected = results[reference]!.shapes[0]!
  for (const [name, r] of Object.entries(results)) {
    const different = r.shapes.find((s) => JSON.stringify(s) !== JSON.stringify(expected))
    t.same(different ?? expected, expected, `${name}: every answer is the same as ${reference}'s (status, header names and values, body)`)
  }
}

function assertSimilarTiming (t: Test, results: Awaited<ReturnType<typeof interleave>>, reference: string) {
  const base = median(results[reference]!.ms)
  for (const [name, r] of Object.entries(results)) {
    const m = median(r.ms)
    t.comment(`${name}: median ${m.toFixed(2)} ms over ${r.ms.length}`)
    if (name === reference) continue
    const ratio = m / base
    t.ok(ratio > 0.67 && ratio < 1.5, `${name} vs ${reference}: median ratio ${ratio.toFixed(2)} within 0.67–1.5`)
  }
}

t.test('login with an unknown address and with a known address and a wrong password look and take the same', async (t) => {
  const ctx = await buildAuth(t, UNLIMITED)
  const known = await createVerifiedUser(ctx)
  const login = (email: string) => async () => await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'not the password' } })
  let ghost = 0
  const kinds = { unknown: async () => await login(`ghost${ghost++}@example.org`)(), known: login(known.email) }
  await interleave(kinds, 3) // warm up: JIT, pool connections, prepared statements
  const results = await interleave(kinds, ROUNDS)
  t.equal(results.unknown!.shapes[0]!.status, 401)
  assertSameAnswers(t, results, 'unknown')
  assertSimilarTiming(t, results, 'unknown')
})

t.test('once delayed, an unknown and a known address are refused the same way', async (t) => {
  const ctx = await buildAuth(t, { LOGIN_THROTTLE_FREE_FAILURES: '2' })
  const known = await createVerifiedUser(ctx)
  const answers: Record<string, ReturnType<typeof shape>> = {}
  for (const email of [known.email, 'ghost@example.org']) {
    let res: Response | undefined
    for (let i = 0; i < 4; i++) res = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'not the password' } })
    answers[email] = shape(res!)
  }
  t.equal(answers[known.email]!.status, 429)
  t.same(answers['ghost@example.org'], answers[known.email])
})

t.test('resending verification for an unknown, a verified and an unverified address looks and takes the same', async (t) => {
  const ctx = await buildAuth(t, UNLIMITED)
  const verified = await createVerifiedUser(ctx)
  const unverified = newUser()
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: unverified })).statusCode, 202)
  const resend = (email: string) => async () => await ctx.app.inject({ method: 'POST', url: '/auth/verification/resend', payload: { email } })
  let ghost = 0
  const kinds = { unknown: async () => await resend(`ghost${ghost++}@example.org`)(), verified: resend(verified.email), unverified: resend(unverified.email) }
  await interleave(kinds, 5)
  const results = await interleave(kinds, ROUNDS * 2)
  t.equal(results.unknown!.shapes[0]!.status, 202)
  assertSameAnswers(t, results, 'unknown')
  assertSimilarTiming(t, results, 'unknown')
})

t.test('a resend that does send a mail answers the same, and only writes the mail to the outbox on the way', async (t) => {
  // With no interval every resend to the unverified address issues a token and a mail: the costliest path, a
  // token and an outbox row more (and the relay waking), a few milliseconds. In service it runs at most once per
  // VERIFICATION_RESEND_INTERVAL_S per account, and the owner gets the mail; what must never happen is the
  // mail itself (SMTP, hundreds of milliseconds) on the request's path.
  const ctx = await buildAuth(t, { ...UNLIMITED, VERIFICATION_RESEND_INTERVAL_S: '0' })
  const unverified = newUser()
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: unverified })).statusCode, 202)
  const resend = (email: string) => async () => await ctx.app.inject({ method: 'POST', url: '/auth/verification/resend', payload: { email } })
  let ghost = 0
  const kinds = { unknown: async () => await resend(`ghost${ghost++}@example.org`)(), mailed: resend(unverified.email) }
  await interleave(kinds, 5)
  const results = await interleave(kinds, ROUNDS * 2)
  assertSameAnswers(t, results, 'unknown')
  const ratio = median(results.mailed!.ms) / median(results.unknown!.ms)
  t.comment(`unknown: median ${median(results.unknown!.ms).toFixed(2)} ms; mailed: median ${median(results.mailed!.ms).toFixed(2)} ms`)
  t.ok(ratio < 4, `mailed vs unknown: median ratio ${ratio.toFixed(2)} below 4`)
  const mails = await ctx.sql`select count(*)::int as n from auth.outbox where type = 'user.verification.requested'`
  t.ok(mails[0]!.n >= ROUNDS * 2, `a mail went out for every resend to the unverified address (${mails[0]!.n})`)
})

t.test('registering a new, an unverified and a verified address looks and takes the same', async (t) => {
  const ctx = await buildAuth(t, UNLIMITED)
  const verified = await createVerifiedUser(ctx)
  const unverified = newUser()
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: unverified })).statusCode, 202)
  const register = (email: string) => async () => await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: newUser({ email }) })
  let fresh = 0
  const kinds = { new: async () => await register(`new${fresh++}@example.org`)(), unverified: register(unverified.email), verified: register(verified.email) }
  await interleave(kinds, 3)
  const results = await interleave(kinds, ROUNDS)
  t.equal(results.new!.shapes[0]!.status, 202)
  t.ok(Object.keys(results.new!.shapes[0]!.headers).length > 2, 'headers to compare')
  assertSameAnswers(t, results, 'new')
  assertSimilarTiming(t, results, 'new')
})

t.test('asking for a password reset for an unknown, an unverified and a verified address looks and takes the same', async (t) => {
  const ctx = await buildAuth(t, UNLIMITED)
  const verified = await createVerifiedUser(ctx)
  const unverified = newUser()
  t.equal((await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: unverified })).statusCode, 202)
  const forgot = (email: string) => async () => await ctx.app.inject({ method: 'POST', url: '/auth/password/forgot', payload: { email } })
  let ghost = 0
  const kinds = { unknown: async () => await forgot(`ghost${ghost++}@example.org`)(), unverified: forgot(unverified.email), verified: forgot(verified.email) }
  await interleave(kinds, 5)
  const results = await interleave(kinds, ROUNDS * 2)
  t.equal(results.unknown!.shapes[0]!.status, 202)
  assertSameAnswers(t, results, 'unknown')
  assertSimilarTiming(t, results, 'unknown')
})
