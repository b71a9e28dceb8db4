// The capacity scenario's school district, grown step by step to tens of thousands of students. Registering
// that many through auth's routes would take an argon2id hash each (about an hour on two cores), so the SETUP
// writes what auth's own transactions write, by SQL: the accounts (verified, in the organization, with a real
// hash auth made of the bench's password), the classrooms and their memberships, and in the same transaction
// the events auth writes to its outbox when a teacher creates a classroom and a student joins it with its code
// (classroom.created, classroom.member.added, organization.member.added), in the contracts' own shape. auth's
// relay publishes them, and exam and analytics learn the classrooms from them exactly as they do from auth.
// Access tokens are signed with the key auth was started with. Everything MEASURED then goes through the
// platform's routes: the bank is imported and the exams created and assigned through exam's.
import { randomUUID } from 'node:crypto'
import { drizzle } from 'drizzle-orm/postgres-js'
import { authOutbox, classroomMembers, classrooms, organizations, users } from '@dreamseed/schema/auth'
import { classroomCreatedV1, classroomMemberAddedV1, newEnvelope, organizationCreatedV1, organizationMemberAddedV1, outboxRow, type OutboxRow } from '@dreamseed/events'
import { accessTokenSigner } from '@dreamseed/testing/access-tokens'
import type { OpenLoopStudent, OpenLoopTeacher } from '../load/jobs.js'
import type { Platform } from '../platform.js'
import { call, expectStatus, poll, postJson } from '../http.js'
import { bankLines } from '../school.js'

export const CLASSROOM_SIZE = 30
/** Rows per insert statement (well under Postgres' 65 535 parameters). */
const CHUNK = 1000
/** Requests at once while assigning exams to new classrooms. */
const ASSIGN_CONCURRENCY = 16

export interface Population {
  organizationId: string
  examIds: string[]
  students: OpenLoopStudent[]
  teachers: OpenLoopTeacher[]
  /** Adds classrooms of CLASSROOM_SIZE students (each with its teacher) until there are `n` students, and waits until exam and analytics know them and every exam is assigned to every classroom. */
  grow: (n: number) => Promise<{ students: OpenLoopStudent[], teachers: OpenLoopTeacher[] }>
}

export async function createPopulation (p: Platform, options: { bankSize: number, exams: number, maxItems: number }, log: (line: string) => void): Promise<Population> {
  const db = drizzle({ client: p.sql })
  const signer = accessTokenSigner({ privateKey: p.signingKey, ttl: '6h' })
  const audience = { authIssuer: p.env.AUTH_ISSUER ?? 'dreamseed-auth', authAudience: p.env.AUTH_AUDIENCE ?? 'dreamseed' }
  const tokenFor = async (userId: string, role: 'student' | 'teacher', organizationId: string): Promise<string> => await signer.tokenFor({ userId, role, organizationId }, audience)
  // A hash auth made of the bench's password (the platform's probe registration): a real one, never used to log in here.
  const [probe] = await p.sql<Array<{ hash: string }>>`select password_hash as hash from auth.users where email like 'probe-%' limit 1`
  if (probe === undefined) throw new Error('no probe account to borrow a password hash from')
  const stamp = Date.now().toString(36)
  const organizationId = randomUUID()
  const now = new Date()
  await db.transaction(async (tx) => {
    await tx.insert(organizations).values({ id: organizationId, name: 'Bench district', createdAt: now })
    await tx.insert(authOutbox).values(outboxRow(newEnvelope(organizationCreatedV1, { organizationId, name: 'Bench district', createdBy: null, createdAt: now.toISOString() }, { now }), organizationId))
  })

  const students: OpenLoopStudent[] = []
  const teachers: OpenLoopTeacher[] = []
  const examIds: string[] = []

  const account = (id: string, role: 'student' | 'teacher', i: number): typeof users.$inferInsert => ({
    id, email: `cap-${stamp}-${role}-${i}@bench.example.org`, passwordHash: probe.hash, displayName: `Bench ${role} ${i}`, role, organizationId, emailVerifiedAt: now, createdAt: now, updatedAt: now
  })

  /** The classrooms (and their teachers and students) from `from` to `to` (exclusive), written as auth writes them. */
  async function addClassrooms (from: number, to: number): Promise<{ students: OpenLoopStudent[], teachers: OpenLoopTeacher[] }> {
    const added = { students: [] as OpenLoopStudent[], teachers: [] as OpenLoopTeacher[] }
    const userRows: Array<typeof users.$inferInsert> = []
    const classroomRows: Array<typeof classrooms.$inferInsert> = []
    const memberRows: Array<typeof classroomMembers.$inferInsert> = []
    const events: OutboxRow[] = []
    for (let c = from; c < to; c++) {
      const teacherId = randomUUID()
      const classroomId = randomUUID()
      userRows.push(account(teacherId, 'teacher', c))
      events.push(outboxRow(newEnvelope(organizationMemberAddedV1, { organizationId, userId: teacherId, role: 'teacher', source: 'command', addedBy: null }, { now }), organizationId))
      classroomRows.push({ id: classroomId, organizationId, teacherId, name: `Bench class ${c}`, joinCode: `CAP${stamp}${c}`.toUpperCase(), createdAt: now })
      events.push(outboxRow(newEnvelope(classroomCreatedV1, { classroomId, organizationId, teacherId, name: `Bench class ${c}`, createdAt: now.toISOString() }, { now }), classroomId))
      added.teachers.push({ classroomId, token: await tokenFor(teacherId, 'teacher', organizationId) })
      for (let k = 0; k < CLASSROOM_SIZE; k++) {
        const userId = randomUUID()
        userRows.push(account(userId, 'student', c * CLASSROOM_SIZE + k))
        memberRows.push({ classroomId, userId, joinedAt: now })
        // What join-classroom.ts writes for a student in no organization yet joining with the code.
        events.push(outboxRow(newEnvelope(classroomMemberAddedV1, { classroomId, organizationId, userId, role: 'student', joinedAt: now.toISOString() }, { now }), classroomId))
        events.push(outboxRow(newEnvelope(organizationMemberAddedV1, { organizationId, userId, role: 'student', source: 'classroom', addedBy: userId }, { now }), organizationId))
        added.students.push({ userId, token: await tokenFor(userId, 'student', organizationId) })
      }
    }
    await db.transaction(async (tx) => {
      for (let i = 0; i < userRows.length; i += CHUNK) await tx.insert(users).values(userRows.slice(i, i + CHUNK))
      for (let i = 0; i < classroomRows.length; i += CHUNK) await tx.insert(classrooms).values(classroomRows.slice(i, i + CHUNK))
      for (let i = 0; i < memberRows.length; i += CHUNK) await tx.insert(classroomMembers).values(memberRows.slice(i, i + CHUNK))
      for (let i = 0; i < events.length; i += CHUNK) await tx.insert(authOutbox).values(events.slice(i, i + CHUNK))
    })
    return added
  }

  /** Waits until exam and analytics have applied every membership (auth's relay, then their consumers). */
  async function known (n: number, classroomCount: number): Promise<void> {
    await poll(async () => {
      const [row] = await p.sql<Array<{ exam: number, examClassrooms: number, analytics: number }>>`select
        (select count(*)::int from exam.classroom_members where organization_id = ${organizationId} and not removed) as exam,
        (select count(*)::int from exam.classrooms where organization_id = ${organizationId}) as "examClassrooms",
        (select count(*)::int from analytics.classroom_members m join analytics.classrooms c on c.id = m.classroom_id where c.organization_id = ${organizationId} and not m.removed) as analytics`
      return row!.exam === n && row!.examClassrooms === classroomCount && row!.analytics === n
    }, `exam and analytics to know ${n} students`, 600_000)
  }

  async function assign (classroomIds: string[]): Promise<void> {
    const pairs = examIds.flatMap((examId) => classroomIds.map((classroomId) => ({ examId, classroomId })))
    const tokenOf = new Map(teachers.map((t) => [t.classroomId, t.token]))
    for (let i = 0; i < pairs.length; i += ASSIGN_CONCURRENCY) {
      await Promise.all(pairs.slice(i, i + ASSIGN_CONCURRENCY).map(async ({ examId, classroomId }) => {
        // Only the classroom's teacher (or an admin) may assign an exam to it.
        expectStatus(await call(p.exam.url, 'PUT', `/exam/exams/${examId}/classrooms/${classroomId}`, { token: tokenOf.get(classroomId)! }), 204, 'assign exam')
      }))
    }
  }

  return {
    organizationId,
    examIds,
    students,
    teachers,
    grow: async (n) => {
      const t0 = Date.now()
      const classroomsNow = teachers.length
      const classroomsWanted = Math.ceil(n / CLASSROOM_SIZE)
      if (classroomsWanted <= classroomsNow) return { students: [], teachers: [] }
      const added = await addClassrooms(classroomsNow, classroomsWanted)
      students.push(...added.students)
      teachers.push(...added.teachers)
      await known(students.length, teachers.length)
      if (examIds.length === 0) {
        // The bank and the exams, through exam's routes, once the first teacher is known to it.
        const owner = teachers[0]!.token
        expectStatus(await call(p.exam.url, 'POST', '/exam/items/import', { token: owner, body: bankLines(options.bankSize), type: 'application/x-ndjson' }), 201, 'item import')
        for (let i = 0; i < options.exams; i++) {
          const created = expectStatus<{ id: string }>(await postJson(p.exam.url, '/exam/exams', { title: `Capacity exam ${i}`, kind: 'adaptive', subject: 'math', estimator: 'EAP', startTheta: 0, randomesque: 2, stopping: { maxItems: options.maxItems } }, owner), 201, 'create exam')
          examIds.push(created.id)
        }
      }
      await assign(added.teachers.map((t) => t.classroomId))
      if (added.students.length === students.length) {
        // The first session loads the organization's bank into exam's memory, as a running platform has it; done
        // here, not in a step. The student resumes that session when the load begins.
        expectStatus(await call(p.exam.url, 'POST', `/exam/exams/${examIds[0]!}/sessions`, { token: students[0]!.token }), 201, 'first session')
      }
      log(`  capacity: ${students.length} students in ${teachers.length} classrooms (+${added.students.length} in ${((Date.now() - t0) / 1000).toFixed(1)} s, set up by SQL and auth's outbox)`)
      return added
    }
  }
}
