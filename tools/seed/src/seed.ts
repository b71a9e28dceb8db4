// A demo school in running services, made the way people would make it: through auth's and exam's HTTP APIs,
// with the first admin from auth's admin:create command (accounts are never verified any other way). Every
// step first looks for what an earlier run made, so running it again changes nothing and duplicates nothing.
import { call as request, type CallResult } from '@dreamseed/testing/http-client'
import { itemBank } from './item-bank.js'
import { seedTerms, type SeededTerms } from './terms.js'

export const ORGANIZATION = 'DreamSeed Demo School'
export const PASSWORD = 'dreamseed demo'
export const CLASSROOM = 'Algebra 1 (demo)'
export const EXAM_TITLE = 'Math check (demo)'

export type Role = 'admin' | 'teacher' | 'student'
export interface DemoAccount { email: string, name: string, role: Role }

export const ADMIN: DemoAccount = { email: 'admin@demo.dreamseed.example', name: 'Ada Admin', role: 'admin' }
export const TEACHER: DemoAccount = { email: 'teacher@demo.dreamseed.example', name: 'Tess Teacher', role: 'teacher' }
export const STUDENTS: DemoAccount[] = ['Sam', 'Kim', 'Lee', 'Noor', 'Ravi'].map((name, i) => ({ email: `student${i + 1}@demo.dreamseed.example`, name: `${name} Student`, role: 'student' }))

export interface SeedOptions {
  authUrl: string
  examUrl: string
  /** analytics: with it, two terms with a round of sessions in each (terms.ts); without, no sessions and no terms. */
  analyticsUrl?: string
  /** auth's admin:create for this account in ORGANIZATION: a verified admin of it, created or promoted. */
  createAdmin: (account: { email: string, password: string, name: string, organization: string }) => Promise<void>
  log?: (line: string) => void
  /** How long to wait for auth's classroom events to reach exam. */
  eventsTimeoutMs?: number
}

export interface SeededAccount extends DemoAccount { id: string, created: boolean }

export interface SeedResult {
  organizationId: string
  accounts: SeededAccount[]
  classroom: { id: string, name: string, joinCode: string, created: boolean }
  items: { imported: number }
  exam: { id: string, title: string, created: boolean }
  /** The two terms (ids), when analyticsUrl was given. */
  terms?: SeededTerms
}

/** An answer whose body is read as each route documents it. */
interface Reply extends CallResult { body: any } // eslint-disable-line @typescript-eslint/no-explicit-any -- each route's own answer

const call = async (...args: Parameters<typeof request>): Promise<Reply> => await request(...args) as Reply

function expect (reply: Reply, status: number[], what: string): Reply {
  if (!status.includes(reply.status)) throw new Error(`${what}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`)
  return reply
}

async function retry (what: string, timeoutMs: number, attempt: () => Promise<Reply | undefined>): Promise<Reply> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const done = await attempt()
    if (done !== undefined) return done
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms (are all four services running?)`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

export async function seed (options: SeedOptions): Promise<SeedResult> {
  const { authUrl, examUrl } = options
  const log = options.log ?? (() => {})
  const eventsTimeoutMs = options.eventsTimeoutMs ?? 30000
  const login = async (a: DemoAccount) => await call(authUrl, 'POST', '/auth/login', undefined, { email: a.email, password: PASSWORD })

  // Accounts: signing in tells whether an earlier run made it; a new one is a verified admin of the school
  // (the only way to make a verified account without a mailbox), demoted below to the role it plays.
  const sessions = new Map<string, { token: string, user: { id: string, role: Role, organizationId: string | null } }>()
  const accounts: SeededAccount[] = await Promise.all([ADMIN, TEACHER, ...STUDENTS].map(async (account) => {
    let reply = await login(account)
    const created = reply.status !== 200
    if (created) {
      await options.createAdmin({ email: account.email, password: PASSWORD, name: account.name, organization: ORGANIZATION })
      reply = expect(await login(account), [200], `sign in as ${account.email} (does the account have another password?)`)
    }
    sessions.set(account.email, { token: reply.body.accessToken, user: reply.body.user })
    log(`${created ? 'created' : 'found'} ${account.role} ${account.email}`)
    return { ...account, id: reply.body.user.id as string, created }
  }))
  const admin = sessions.get(ADMIN.email)!
  const organizationId = admin.user.organizationId
  if (admin.user.role !== 'admin' || organizationId === null) throw new Error(`${ADMIN.email} is not an admin of an organization`)
  const strays = accounts.filter((a) => sessions.get(a.email)!.user.organizationId !== organizationId)
  if (strays.length > 0) throw new Error(`${strays.map((a) => a.email).join(', ')} belong to another organization than ${ORGANIZATION}`)

  const changed = accounts.filter((a) => sessions.get(a.email)!.user.role !== a.role)
  for (const a of changed) {
    expect(await call(authUrl, 'PATCH', `/auth/organizations/${organizationId}/members/${a.id}`, admin.token, { role: a.role }), [200], `make ${a.email} a ${a.role}`)
  }
  // A role change refuses the tokens issued until then: sign in again for one with the new role.
  for (const a of changed) sessions.set(a.email, { ...sessions.get(a.email)!, token: expect(await login(a), [200], `sign in as ${a.email}`).body.accessToken })
  const teacher = sessions.get(TEACHER.email)!.token

  // The classroom, found by its name among the teacher's, and every student in it.
  const listed = expect(await call(authUrl, 'GET', '/auth/classrooms?limit=100', teacher), [200], 'list the teacher\'s classrooms')
  const found = (listed.body.classrooms as Array<{ id: string, name: string, joinCode?: string }>).find((c) => c.name === CLASSROOM)
  const classroomCreated = found === undefined
  const room = found ?? expect(await call(authUrl, 'POST', '/auth/classrooms', teacher, { name: CLASSROOM }), [201], 'create the classroom').body as { id: string, name: string, joinCode: string }
  const joinCode = room.joinCode ?? expect(await call(authUrl, 'GET', `/auth/classrooms/${room.id}`, teacher), [200], 'read the classroom').body.joinCode as string
  log(`${classroomCreated ? 'created' : 'found'} classroom "${CLASSROOM}" (join code ${joinCode})`)
  for (const s of STUDENTS) expect(await call(authUrl, 'POST', '/auth/classrooms/join', sessions.get(s.email)!.token, { code: joinCode }), [200], `${s.email} joins the classroom`)

  // The item bank, imported once: the demo school's bank is the seed's.
  let imported = 0
  const existing = expect(await call(examUrl, 'GET', '/exam/items?limit=1', teacher), [200], 'look at the item bank')
  if (existing.body.items.length === 0) {
    const bank = itemBank()
    expect(await call(examUrl, 'POST', '/exam/items/import', teacher, bank.map((i) => JSON.stringify(i)).join('\n'), 'application/x-ndjson'), [201], 'import the item bank')
    imported = bank.length
  }
  log(imported > 0 ? `imported ${imported} items (math, reading)` : 'found the item bank')

  // The adaptive exam, found by its title, assigned once exam has heard of the classroom from auth's events.
  const exams = expect(await call(examUrl, 'GET', '/exam/exams?limit=100', teacher), [200], 'list the exams').body.exams as Array<{ id: string, title: string }>
  const existingExam = exams.find((e) => e.title === EXAM_TITLE)
  const examCreated = existingExam === undefined
  const exam = existingExam ?? expect(await call(examUrl, 'POST', '/exam/exams', teacher, {
    title: EXAM_TITLE, kind: 'adaptive', subject: 'math', estimator: 'EAP', startTheta: 0, randomesque: 3, stopping: { minItems: 5, maxItems: 15, seTarget: 0.35 }
  }), [201], 'create the exam').body as { id: string, title: string }
  log(`${examCreated ? 'created' : 'found'} adaptive exam "${EXAM_TITLE}"`)
  await retry('assign the exam to the classroom', eventsTimeoutMs, async () => {
    const reply = await call(examUrl, 'PUT', `/exam/exams/${exam.id}/classrooms/${room.id}`, teacher)
    return reply.status === 204 ? reply : undefined
  })
  // Ready once exam knows the students too: the first sees the exam among theirs.
  const student = sessions.get(STUDENTS[0]!.email)!.token
  await retry('the students\' membership to reach exam', eventsTimeoutMs, async () => {
    const reply = await call(examUrl, 'GET', '/exam/exams?limit=100', student)
    return reply.status === 200 && (reply.body.exams as Array<{ id: string }>).some((e) => e.id === exam.id) ? reply : undefined
  })
  log('assigned the exam to the classroom; the students see it')

  const terms = options.analyticsUrl === undefined
    ? undefined
    : await seedTerms({
      examUrl,
      analyticsUrl: options.analyticsUrl,
      admin: admin.token,
      teacher,
      students: STUDENTS.map((s) => sessions.get(s.email)!.token),
      classroomId: room.id,
      autumnExamId: exam.id,
      retry: async (what, attempt) => await retry(what, eventsTimeoutMs, attempt),
      log
    })

  return {
    organizationId,
    accounts,
    classroom: { id: room.id, name: CLASSROOM, joinCode, created: classroomCreated },
    items: { imported },
    exam: { id: exam.id, title: EXAM_TITLE, created: examCreated },
    ...(terms === undefined ? {} : { terms })
  }
}
