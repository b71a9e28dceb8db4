import t from 'tap'
import { sleep, startPrivatePostgres, waitFor } from '@dreamseed/testing'
import { FULL, buildSchool, call, PASSWORD, startPlatform, takeSession, uniqueEmail, type CallResult, type ServiceName } from './helper.js'

// Postgres going away is an outage to report, not a bug: every request that needs it answers 503 in the error
// model (never a 500, never no answer), readiness says unavailable, and when Postgres is back the same
// processes serve again: their pools reconnect, their relays and consumers carry on.
const OUTAGE_MS = FULL ? 15_000 : 5_000
const SERVICES: ServiceName[] = ['auth', 'notification', 'exam', 'analytics']

interface Answer { service: ServiceName, route: string, status: number | 'no answer', code?: string, requestId?: string }

t.test(`Postgres stopped for ${OUTAGE_MS / 1000} s and started again under load: 503s in the error model meanwhile, readiness false then true, recovery without a restart`, { timeout: 90_000 }, async (t) => {
  const pg = await startPrivatePostgres(t)
  const platform = await startPlatform(t, { databaseAdminUrl: pg.adminUrl, inProcess: SERVICES })
  const school = await buildSchool(platform, { students: 2, exams: 2 })
  const [student] = school.students
  const auth = platform.url('auth')

  const answers: Answer[] = []
  const ask = async (service: ServiceName, route: string, request: () => Promise<CallResult>): Promise<void> => {
    try {
      const res = await request()
      answers.push({ service, route, status: res.status, code: res.body?.error?.code, requestId: res.body?.error?.requestId })
    } catch {
      answers.push({ service, route, status: 'no answer' })
    }
  }
  const readiness: Record<string, number[]> = Object.fromEntries(SERVICES.map((s) => [s, []]))
  let loadRunning = true
  // Six clients: registrations and logins (auth), a student's sessions (exam) and progress (analytics).
  const clients = [
    async () => { await ask('auth', 'POST /auth/register', async () => await call(auth, 'POST', '/auth/register', undefined, { email: uniqueEmail('load'), password: PASSWORD, role: 'student', displayName: 'Load' })) },
    async () => { await ask('auth', 'POST /auth/login', async () => await call(auth, 'POST', '/auth/login', undefined, { email: student!.email, password: PASSWORD })) },
    async () => { await ask('auth', 'GET /auth/me', async () => await call(auth, 'GET', '/auth/me', student!.token)) },
    async () => { await ask('exam', 'GET /exam/sessions', async () => await call(platform.url('exam'), 'GET', '/exam/sessions', student!.token)) },
    async () => { await ask('analytics', 'GET /analytics/students/:id', async () => await call(platform.url('analytics'), 'GET', `/analytics/students/${student!.id}`, student!.token)) },
    async () => { await ask('analytics', 'GET /analytics/classrooms/:id', async () => await call(platform.url('analytics'), 'GET', `/analytics/classrooms/${school.classroomId}`, school.teacher)) }
  ]
  const load = Promise.all([
    ...clients.map(async (client) => { while (loadRunning) { await client(); await sleep(20) } }),
    ...SERVICES.map(async (s) => {
      while (loadRunning) {
        try { readiness[s]!.push((await fetch(`${platform.opsUrl(s)}/health/ready`, { signal: AbortSignal.timeout(10000) })).status) } catch { readiness[s]!.push(0) }
        await sleep(100)
      }
    })
  ])

  await sleep(1000)
  await pg.stop('fast')
  const beforeOutage = answers.length
  await sleep(OUTAGE_MS)
  const duringOutage = answers.slice(beforeOutage)
  await pg.start()
  // Recovered: every client has had a 2xx again since Postgres came back.
  const afterStart = answers.length
  await waitFor(() => clients.length === new Set(answers.slice(afterStart).filter((a) => typeof a.status === 'number' && a.status < 300).map((a) => a.route)).size, { what: 'every route to answer again', timeoutMs: 60000, intervalMs: 200 })
  // A readiness probe that set out while Postgres was down can answer 503 after the routes are back (its check
  // waits up to 2 s); recovery means the probes answer 200 again, so wait for a 200 from each.
  await waitFor(() => SERVICES.every((s) => readiness[s]!.at(-1) === 200), { what: 'every service ready again', timeoutMs: 60000, intervalMs: 100 })
  await sleep(1000)
  loadRunning = false
  await load

  t.ok(duringOutage.length > 0, `${duringOutage.length} requests were made while Postgres was down`)
  const unexpected = answers.filter((a) => !(a.status === 200 || a.status === 202 || a.status === 503))
  t.same(unexpected, [], 'every answer was a success or a 503: no 500, no request left without an answer')
  const unavailable = answers.filter((a) => a.status === 503)
  t.ok(unavailable.length > 0, `${unavailable.length} requests answered 503`)
  t.same(unavailable.filter((a) => a.code !== 'DEPENDENCY_UNAVAILABLE' || typeof a.requestId !== 'string'), [], 'each 503 in the error model: code DEPENDENCY_UNAVAILABLE and a request id')
  // Routes served from a token or analytics' Redis cache may well answer 200 meanwhile; a write cannot.
  t.ok(unavailable.some((a) => a.route === 'POST /auth/register'), 'registration, which must write, answered 503')
  t.comment(`503s by route: ${JSON.stringify(Object.fromEntries([...new Set(unavailable.map((a) => a.route))].map((r) => [r, unavailable.filter((a) => a.route === r).length])))}`)
  for (const s of SERVICES) {
    const seen = readiness[s]!
    const firstDown = seen.indexOf(503)
    t.ok(firstDown > 0 && seen.slice(0, firstDown).every((x) => x === 200), `${s}: /health/ready was 200, then 503`)
    t.equal(seen.at(-1), 200, `${s}: and 200 again`)
    t.notOk(seen.includes(0), `${s}: readiness always answered`)
  }

  // The same processes carry on: a registration is mailed (auth's relay, notification's consumer), a session
  // reaches analytics (exam's relay, analytics' consumer).
  const email = uniqueEmail('after')
  t.equal(await platform.register(email), 202)
  await waitFor(() => platform.smtp.mailsTo(email).length === 1, { what: 'a mail for a registration after the restart', timeoutMs: 60000 })
  const session = await takeSession(platform.url('exam'), school.examIds[0]!, student!.token)
  t.same(session.statuses.filter((s) => s !== 200 && s !== 201), [], 'a student takes an exam after the restart')
  await waitFor(async () => (await platform.sql`select count(*)::int as n from analytics.sessions where id = ${session.sessionId} and completed_at is not null`)[0]?.n === 1, { what: 'the session in analytics', timeoutMs: 60000 })
  const progress = await call(platform.url('analytics'), 'GET', `/analytics/students/${student!.id}`, student!.token)
  t.equal(progress.body?.sessionsTaken, 1, 'and analytics shows it')
})
