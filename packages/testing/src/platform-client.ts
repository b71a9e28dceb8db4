// A client of the running platform, as tests drive it over HTTP: a pool of concurrent workers,
// a signed-in user, a school with a classroom, students and assigned exams, a session taken to its end. Used by
// the fault tests (services started by the test) and the cluster tests (replicas behind proxies) alike.
import { randomBytes } from 'node:crypto'
import type postgres from 'postgres'
import type { TestSmtp } from './smtp.js'
import { call } from './http-client.js'
import { waitFor } from './wait.js'

export const PASSWORD = 'correct horse battery'

export type ServiceName = 'auth' | 'notification' | 'exam' | 'analytics'

/**
 * Settings that keep the services quick under test: short polls and backoffs, a new verification mail at
 * once, and no per-address limits (every test client is 127.0.0.1: the limits would stop the load, not test
 * anything).
 */
export const QUICK_TEST_SETTINGS: Record<string, string> = {
  OUTBOX_POLL_MS: '100',
  MAILER_BACKOFF_MS: '200,500',
  EXAM_CONSUMER_BACKOFF_MS: '200,500,1000',
  ANALYTICS_CONSUMER_BACKOFF_MS: '200,500,1000',
  VERIFICATION_RESEND_INTERVAL_S: '0',
  AUTH_RATE_LIMIT_MAX: '1000000',
  AUTH_RATE_LIMIT_STRICT_MAX: '1000000',
  LOGIN_THROTTLE_IP_FREE_FAILURES: '1000000'
}

/** What the helpers below need of a running platform: where each service answers, its database and its mail. */
export interface PlatformClient {
  url: (service: ServiceName) => string
  sql: postgres.Sql
  smtp: TestSmtp
}

/** Registers a student through HTTP and returns the status code. */
export async function register (authUrl: string, email: string, password = PASSWORD): Promise<number> {
  const res = await fetch(`${authUrl}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, role: 'student', displayName: email.split('@')[0] }) })
  await res.arrayBuffer()
  return res.status
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

/** Registers, verifies through the mailed link's token and the password, and signs in. */
export async function signIn (platform: PlatformClient, email: string): Promise<{ accessToken: string, sessionToken: string }> {
  const registered = await register(platform.url('auth'), email)
  if (registered !== 202) throw new Error(`registration answered ${registered}`)
  const mail = await waitFor(() => platform.smtp.mailsTo(email)[0], { what: `the mail to ${email}`, timeoutMs: 30000 })
  await call(platform.url('auth'), 'POST', '/auth/verify', undefined, { token: /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1], password: PASSWORD })
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
export async function buildSchool (platform: PlatformClient, options: { students: number, exams: number }): Promise<School> {
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

/** A Prometheus counter's value (0 when it has no sample yet), from a service's ops port (OPS_PORT: the public one has no /metrics). */
export async function metric (opsBase: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${opsBase}/metrics`)).text()
  let total = 0
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue
    total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}
