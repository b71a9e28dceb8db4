// Starts the platform the way it runs for real (services listening on ports, talking over NATS, Postgres,
// Redis and SMTP), each service in this process or as a child process a test can SIGKILL, against servers
// the test chose: private ones it may stop, or the shared ones (never stopped) for what it leaves alone.
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, streamFor } from '@dreamseed/events'
import { ADMIN_URL, NATS_URL, createTestDatabase, createTestStreams, freePort, startSmtpServer, waitFor, waitForConsumerIdle, type TestSmtp } from '@dreamseed/testing'
import { buildApp as buildAuth, loadAuthConfig } from '@dreamseed/auth'
import { buildApp as buildNotification, loadNotificationConfig, MAILER_DURABLE } from '@dreamseed/notification'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { buildApp as buildAnalytics, loadAnalyticsConfig, DURABLES } from '@dreamseed/analytics'

interface T { teardown: (fn: () => unknown) => void }

/** The full setting (FAULTS_FULL=1): the outages and volumes the issue names. CI runs the light one. */
export const FULL = process.env.FAULTS_FULL === '1'

export type ServiceName = 'auth' | 'notification' | 'exam' | 'analytics'

export interface PlatformOptions {
  natsUrl?: string
  databaseAdminUrl?: string
  redisUrl?: string
  /** Services built in this process; the others a test spawns itself (spawnService) or leaves out. */
  inProcess?: ServiceName[]
  env?: Record<string, string>
  /** Loggers for in-process services, to read their lines back. */
  loggers?: Partial<Record<ServiceName, Logger>>
}

export interface Platform {
  env: Record<string, string>
  smtp: TestSmtp
  sql: postgres.Sql
  prefix: string
  urls: Partial<Record<ServiceName, string>>
  apps: Partial<Record<ServiceName, FastifyInstance>>
  url: (service: ServiceName) => string
  /** Registers a user through HTTP and returns the status code. */
  register: (email: string) => Promise<number>
}

export const PASSWORD = 'correct horse battery'

export async function startPlatform (t: T, options: PlatformOptions = {}): Promise<Platform> {
  const natsUrl = options.natsUrl ?? NATS_URL
  const databaseUrl = await createTestDatabase(t, migrateDatabase, options.databaseAdminUrl ?? ADMIN_URL)
  const prefix = await createTestStreams(t, applyStreams, natsUrl)
  const smtp = await startSmtpServer(t)
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    EVENTS_PREFIX: prefix,
    TOKEN_SEAL_KEY: randomBytes(32).toString('base64'),
    EMAIL_MODE: 'smtp',
    SMTP_URL: smtp.url,
    OUTBOX_POLL_MS: '100',
    MAILER_BACKOFF_MS: '200,500',
    MAILER_ACK_WAIT_MS: '1500',
    EXAM_CONSUMER_BACKOFF_MS: '200,500,1000',
    ANALYTICS_CONSUMER_BACKOFF_MS: '200,500,1000',
    VERIFICATION_RESEND_INTERVAL_S: '0',
    // Every test client is 127.0.0.1: the per-address limits would stop the load, not test anything.
    AUTH_RATE_LIMIT_MAX: '1000000',
    AUTH_RATE_LIMIT_STRICT_MAX: '1000000',
    LOGIN_THROTTLE_IP_FREE_FAILURES: '1000000',
    PORT: '0',
    ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
    ...options.env
  }
  const urls: Partial<Record<ServiceName, string>> = {}
  const apps: Partial<Record<ServiceName, FastifyInstance>> = {}
  const inProcess = options.inProcess ?? ['auth', 'notification']
  const listen = async (name: ServiceName, app: FastifyInstance): Promise<void> => {
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(async () => { await app.close() })
    urls[name] = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
    apps[name] = app
  }
  const logger = (name: ServiceName) => options.loggers?.[name] === undefined ? {} : { logger: options.loggers[name] }
  // auth first: the others take its address (links in mails, JWKS).
  if (inProcess.includes('auth')) {
    await listen('auth', await buildAuth(loadAuthConfig(env), logger('auth')))
    env.AUTH_PUBLIC_URL = urls.auth!
    env.AUTH_JWKS_URL = `${urls.auth!}/.well-known/jwks.json`
  }
  if (inProcess.includes('notification')) await listen('notification', await buildNotification(loadNotificationConfig(env), logger('notification')))
  if (inProcess.includes('exam')) await listen('exam', await buildExam(loadExamConfig(env), logger('exam')))
  if (inProcess.includes('analytics')) await listen('analytics', await buildAnalytics(loadAnalyticsConfig(env), logger('analytics')))
  const sql = postgres(databaseUrl, { max: 3, onnotice: () => {} })
  t.teardown(async () => { await sql.end({ timeout: 1 }) })
  const url = (service: ServiceName): string => {
    const u = urls[service]
    if (u === undefined) throw new Error(`${service} is not running`)
    return u
  }
  const register = async (email: string): Promise<number> => {
    const res = await fetch(`${url('auth')}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD, role: 'student', displayName: email.split('@')[0] }) })
    await res.arrayBuffer()
    return res.status
  }
  return { env, smtp, sql, prefix, urls, apps, url, register }
}

const serverPath = (service: ServiceName): string => fileURLToPath(new URL(`../../../services/${service}/src/server.ts`, import.meta.url))

export interface SpawnedService {
  child: ChildProcess
  exited: Promise<number | null>
  url: string
}

/** A service as its own process (its real server.ts), listening on a port of its own, so a test can SIGKILL it. */
export async function spawnService (t: T, service: ServiceName, env: Record<string, string>): Promise<SpawnedService> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', serverPath(service)], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited }
  })
  const url = `http://127.0.0.1:${port}`
  await waitFor(async () => (await fetch(`${url}/health/live`)).ok, { what: `${service} listening`, timeoutMs: 30000, intervalMs: 200 })
  return { child, exited, url }
}

export async function kill (service: SpawnedService): Promise<void> {
  service.child.kill('SIGKILL')
  await service.exited
}

export interface CallResult {
  status: number
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read whatever each route answers
  body: Record<string, any> | undefined
}

/** One HTTP request to a running service, as a client would make it. */
export async function call (base: string, method: string, path: string, token?: string, body?: unknown, type = 'application/json'): Promise<CallResult> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': type }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    // A bound on a hang, not a timing assertion: a request that gets no answer at all fails the test.
    signal: AbortSignal.timeout(30000)
  })
  const text = await res.text()
  return { status: res.status, body: text === '' || !/json/.test(res.headers.get('content-type') ?? '') ? undefined : JSON.parse(text) as Record<string, unknown> }
}

/** Resolves once the mailer has delivered and settled every event in its stream, redeliveries included: count mails after it. */
export async function mailerIdle (platform: Platform): Promise<void> {
  await waitForConsumerIdle(platform.env.NATS_URL!, streamFor(platform.prefix, 'user.created'), MAILER_DURABLE, { timeoutMs: 60000 })
}

/** The same for analytics' three consumers (services/analytics/src/consumers/event-consumers.ts). */
export async function analyticsIdle (platform: Platform): Promise<void> {
  const consumers: Array<[string, string]> = [[DURABLES.users, 'user.created'], [DURABLES.organizations, 'classroom.created'], [DURABLES.exams, 'exam.session.started']]
  for (const [durable, type] of consumers) await waitForConsumerIdle(platform.env.NATS_URL!, streamFor(platform.prefix, type), durable, { timeoutMs: 60000 })
}

export async function count (sql: postgres.Sql, query: string): Promise<number> {
  return Number((await sql.unsafe(query))[0]?.n)
}

/** Runs `fn` over `items`, at most `concurrency` at once, and returns the results in order. */
export async function pool<I, R> (items: I[], concurrency: number, fn: (item: I, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await fn(items[i]!, i)
    }
  }))
  return results
}

export const uniqueEmail = (label: string): string => `${label}-${randomBytes(4).toString('hex')}@example.org`

/** Registers, verifies through the mailed link's token, and signs in. */
export async function signIn (platform: Platform, email: string): Promise<{ accessToken: string, sessionToken: string }> {
  const registered = await platform.register(email)
  if (registered !== 202) throw new Error(`registration answered ${registered}`)
  const mail = await waitFor(() => platform.smtp.mailsTo(email)[0], { what: `the mail to ${email}`, timeoutMs: 30000 })
  await call(platform.url('auth'), 'POST', '/auth/verify', undefined, { token: /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] })
  const login = await call(platform.url('auth'), 'POST', '/auth/login', undefined, { email, password: PASSWORD })
  if (login.status !== 200) throw new Error(`login answered ${login.status}`)
  return login.body as { accessToken: string, sessionToken: string }
}

export interface Student { email: string, id: string, token: string }

export interface School {
  teacher: string
  organizationId: string
  classroomId: string
  examIds: string[]
  students: Student[]
}

/**
 * A teacher of a new organization with one classroom, `students` verified students in it, a bank of items and
 * `exams` short adaptive exams assigned to the classroom, each known to exam (it learns classrooms and members
 * from auth's events) before this returns. Needs auth, notification and exam running.
 */
export async function buildSchool (platform: Platform, options: { students: number, exams: number }): Promise<School> {
  const auth = platform.url('auth')
  const exam = platform.url('exam')
  const teacherEmail = uniqueEmail('teacher')
  await signIn(platform, teacherEmail)
  const [org] = await platform.sql`insert into auth.organizations (id, name) values (gen_random_uuid(), 'Springfield High') returning id`
  await platform.sql`update auth.users set role = 'teacher', organization_id = ${org?.id} where email = ${teacherEmail}`
  const teacher = (await call(auth, 'POST', '/auth/login', undefined, { email: teacherEmail, password: PASSWORD })).body!.accessToken as string
  const classroom = await call(auth, 'POST', '/auth/classrooms', teacher, { name: 'Algebra 1' })
  if (classroom.status !== 201) throw new Error(`classroom answered ${classroom.status}`)
  const classroomId = classroom.body!.id as string

  const students = await pool(Array.from({ length: options.students }, (_, i) => i), 4, async (i): Promise<Student> => {
    const email = uniqueEmail(`student${i}`)
    const signedIn = await signIn(platform, email)
    const joined = await call(auth, 'POST', '/auth/classrooms/join', signedIn.accessToken, { code: classroom.body!.joinCode })
    if (joined.status !== 200) throw new Error(`join answered ${joined.status}`)
    const token = (await call(auth, 'POST', '/auth/token', undefined, { sessionToken: signedIn.sessionToken })).body!.accessToken as string
    return { email, token, id: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub as string }
  })

  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ stem: `Question ${i}`, options: ['a', 'b', 'c', 'd'], correctIndex: i % 4, subject: 'math', topics: ['algebra'], a: 0.8 + (i % 5) * 0.3, b: -3 + (6 * i) / 39, status: 'active' })).join('\n')
  const imported = await call(exam, 'POST', '/exam/items/import', teacher, lines, 'application/x-ndjson')
  if (imported.status !== 201) throw new Error(`import answered ${imported.status}`)
  const examIds: string[] = []
  for (let i = 0; i < options.exams; i++) {
    const created = await call(exam, 'POST', '/exam/exams', teacher, { title: `Algebra check ${i}`, kind: 'adaptive', subject: 'math', stopping: { minItems: 3, maxItems: 5 } })
    if (created.status !== 201) throw new Error(`exam answered ${created.status}`)
    const examId = created.body!.id as string
    await waitFor(async () => (await call(exam, 'PUT', `/exam/exams/${examId}/classrooms/${classroomId}`, teacher)).status === 204, { what: 'the classroom to reach exam', timeoutMs: 30000 })
    examIds.push(examId)
  }
  // Every member must have reached exam too, or a session would be refused for a reason that is not the fault.
  await waitFor(async () => (await platform.sql`select count(*)::int as n from exam.classroom_members where classroom_id = ${classroomId}`)[0]?.n === options.students, { what: 'the members to reach exam', timeoutMs: 30000 })
  return { teacher, organizationId: org?.id as string, classroomId, examIds, students }
}

export interface TakenSession {
  sessionId: string
  answered: number
  /** Every status exam answered, in order. */
  statuses: number[]
}

/** A student takes an exam to its end, answering as a client would. */
export async function takeSession (examUrl: string, examId: string, token: string): Promise<TakenSession> {
  const started = await call(examUrl, 'POST', `/exam/exams/${examId}/sessions`, token)
  const statuses = [started.status]
  if (started.status !== 201) return { sessionId: '', answered: 0, statuses }
  const sessionId = started.body!.session.id as string
  let item = started.body!.item as { id: string } | null
  let answered = 0
  while (item !== null && answered < 20) {
    const step = await call(examUrl, 'POST', `/exam/sessions/${sessionId}/answers`, token, { itemId: item.id, optionIndex: answered % 4, timeTakenMs: 4000 })
    statuses.push(step.status)
    if (step.status !== 200) break
    answered++
    item = step.body!.item
  }
  return { sessionId, answered, statuses }
}

/** A Prometheus counter's value (0 when it has no sample yet). */
export async function metric (base: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text()
  let total = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue
    total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}
