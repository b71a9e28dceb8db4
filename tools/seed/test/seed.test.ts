import { randomBytes } from 'node:crypto'
import t from 'tap'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams } from '@dreamseed/events'
import { createTestDatabase, createTestStreams } from '@dreamseed/testing'
import { buildApp as buildAuth, loadAuthConfig } from '@dreamseed/auth'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { adminCreateCommand } from '../src/admin-command.js'
import { CLASSROOM, PASSWORD, STUDENTS, TEACHER, seed } from '../src/seed.js'

/** auth and exam listening on ports of their own, on a private database and event namespace. */
async function startServices (t: { teardown: (fn: () => unknown) => void }) {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const prefix = await createTestStreams(t, applyStreams)
  const env: Record<string, string> = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, EVENTS_PREFIX: prefix, TOKEN_SEAL_KEY: randomBytes(32).toString('base64'), OUTBOX_POLL_MS: '100', PORT: '0' }
  const auth = await buildAuth(loadAuthConfig(env))
  await auth.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => auth.close())
  const authUrl = `http://127.0.0.1:${(auth.server.address() as { port: number }).port}`
  const exam = await buildExam(loadExamConfig({ ...env, AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json` }))
  await exam.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => exam.close())
  const examUrl = `http://127.0.0.1:${(exam.server.address() as { port: number }).port}`
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  t.teardown(() => sql.end())
  return { authUrl, examUrl, sql, createAdmin: adminCreateCommand({ ...process.env, DATABASE_URL: databaseUrl }) }
}

const post = async (url: string, body: unknown, token?: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) }, body: JSON.stringify(body) })
  return { status: res.status, body: await res.json() as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
}

t.test('pnpm seed makes a school a student can take the adaptive exam in, and a second run duplicates nothing', async (t) => {
  const services = await startServices(t)
  const first = await seed(services)
  t.equal(first.accounts.length, 7, 'an admin, a teacher and five students')
  t.ok(first.accounts.every((a) => a.created), 'every account is new')
  t.ok(first.classroom.created && first.exam.created, 'a classroom and an exam')
  t.equal(first.items.imported, 200, 'a bank of 200 items')

  const roles = await services.sql`select email, role, email_verified_at is not null as verified, organization_id from auth.users order by email`
  t.same(roles.map((r) => [r.email, r.role, r.verified]), first.accounts.map((a) => [a.email, a.role, true]).sort(), 'each account verified, with the role it plays')
  t.equal(new Set(roles.map((r) => r.organization_id)).size, 1, 'all in one organization')
  const subjects = await services.sql`select subject, count(*)::int as n from exam.items group by subject order by subject`
  t.same(subjects.map((s) => [s.subject, s.n]), [['math', 100], ['reading', 100]], 'over two subjects')

  const signedIn = await post(`${services.authUrl}/auth/login`, { email: STUDENTS[0]!.email, password: PASSWORD })
  t.equal(signedIn.status, 200, 'a student signs in with the printed password')
  const started = await post(`${services.examUrl}/exam/exams/${first.exam.id}/sessions`, {}, signedIn.body.accessToken)
  t.equal(started.status, 201, JSON.stringify(started.body).slice(0, 200))
  t.type(started.body.item?.stem, 'string', 'with a first item')
  t.equal((await post(`${services.authUrl}/auth/login`, { email: TEACHER.email, password: PASSWORD })).body.user.role, 'teacher', 'the teacher signs in as a teacher')

  const again = await seed(services)
  t.ok(again.accounts.every((a) => !a.created), 'no new account')
  t.same(again.accounts.map((a) => a.id), first.accounts.map((a) => a.id), 'the same accounts')
  t.same([again.classroom.created, again.classroom.id, again.exam.created, again.exam.id, again.items.imported], [false, first.classroom.id, false, first.exam.id, 0], 'the same classroom and exam, no import')
  const counts = await services.sql`select (select count(*)::int from auth.users) as users, (select count(*)::int from auth.organizations) as organizations,
    (select count(*)::int from auth.classrooms where name = ${CLASSROOM}) as classrooms, (select count(*)::int from exam.items) as items, (select count(*)::int from exam.exams) as exams`
  t.same(counts[0], { users: 7, organizations: 1, classrooms: 1, items: 200, exams: 1 }, 'nothing twice in the databases')
})
