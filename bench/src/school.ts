// Scenario 4's school, built through the real routes as people would: a teacher (made one by SQL, as the e2e
// test does, since only an admin can), a classroom, students who join it with its code, a 10 000-item bank
// imported in one request, and adaptive exams assigned to the classroom.
import type { Platform } from './platform.js'
import { PASSWORD } from './platform.js'
import { call, expectStatus, poll, postJson } from './http.js'

export interface Student { userId: string, token: string }

export interface School {
  organizationId: string
  teacherToken: string
  classroomId: string
  students: Student[]
  examIds: string[]
}

interface SignedIn { accessToken: string, sessionToken: string, user: { id: string } }

async function inBatches<T, R> (items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  for (let i = 0; i < items.length; i += size) out.push(...await Promise.all(items.slice(i, i + size).map(async (item, j) => await fn(item, i + j))))
  return out
}

export function bankLines (n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({
    stem: `Bench question ${i}`,
    options: ['a', 'b', 'c', 'd'],
    correctIndex: i % 4,
    subject: 'math',
    topics: [i % 2 === 0 ? 'algebra' : 'geometry'],
    a: 0.6 + (i % 7) * 0.2,
    b: -3 + (6 * i) / Math.max(1, n - 1),
    c: 0.1,
    status: 'active'
  })).join('\n')
}

export async function setUpSchool (p: Platform, options: { students: number, bankSize: number, exams: number, maxItems: number }, log: (line: string) => void): Promise<School> {
  const auth = p.auth.url
  const exam = p.exam.url
  const stamp = Date.now()
  const signIn = async (email: string): Promise<SignedIn> =>
    expectStatus<SignedIn>(await postJson(auth, '/auth/login', { email, password: PASSWORD }), 200, `login ${email}`)

  const teacherEmail = `teacher-${stamp}@bench.example.org`
  expectStatus(await postJson(auth, '/auth/register', { email: teacherEmail, password: PASSWORD, role: 'teacher', displayName: 'Bench Teacher' }), 202, 'teacher registration')
  const [org] = await p.sql<Array<{ id: string }>>`insert into auth.organizations (id, name) values (gen_random_uuid(), 'Bench School') returning id`
  await p.sql`update auth.users set role = 'teacher', organization_id = ${org!.id}, email_verified_at = now() where email = ${teacherEmail}`
  const teacherToken = (await signIn(teacherEmail)).accessToken
  const classroom = expectStatus<{ id: string, joinCode: string }>(await postJson(auth, '/auth/classrooms', { name: 'Bench class' }, teacherToken), 201, 'classroom')

  const emails = Array.from({ length: options.students }, (_, i) => `student-${stamp}-${i}@bench.example.org`)
  await inBatches(emails, 10, async (email) => expectStatus(await postJson(auth, '/auth/register', { email, password: PASSWORD, role: 'student', displayName: 'Bench Student' }), 202, 'student registration'))
  await p.sql`update auth.users set email_verified_at = now() where email in ${p.sql(emails)}`
  const students = await inBatches(emails, 10, async (email) => {
    const signedIn = await signIn(email)
    expectStatus(await postJson(auth, '/auth/classrooms/join', { code: classroom.joinCode }, signedIn.accessToken), 200, 'join classroom')
    // The token issued before joining names no organization; a refreshed one does.
    const refreshed = expectStatus<{ accessToken: string }>(await postJson(auth, '/auth/token', { sessionToken: signedIn.sessionToken }), 200, 'refresh')
    return { userId: signedIn.user.id, token: refreshed.accessToken }
  })
  log(`  ${students.length} students joined the classroom`)

  const t0 = Date.now()
  expectStatus(await call(exam, 'POST', '/exam/items/import', { token: teacherToken, body: bankLines(options.bankSize), type: 'application/x-ndjson' }), 201, 'item import')
  log(`  imported ${options.bankSize} items in ${((Date.now() - t0) / 1000).toFixed(1)} s`)

  const examIds: string[] = []
  for (let i = 0; i < options.exams; i++) {
    const created = expectStatus<{ id: string }>(await postJson(exam, '/exam/exams', { title: `Bench exam ${i}`, kind: 'adaptive', subject: 'math', estimator: 'EAP', startTheta: 0, randomesque: 2, stopping: { maxItems: options.maxItems } }, teacherToken), 201, 'create exam')
    // exam learns the classroom from auth's events: assign once it has arrived.
    await poll(async () => (await call(exam, 'PUT', `/exam/exams/${created.id}/classrooms/${classroom.id}`, { token: teacherToken })).status === 204, 'the classroom to reach exam')
    examIds.push(created.id)
  }
  await poll(async () => {
    const [row] = await p.sql<Array<{ n: number }>>`select count(*)::int as n from exam.classroom_members where classroom_id = ${classroom.id} and not removed`
    return row!.n === students.length
  }, 'every membership to reach exam')
  // The first session loads the organization's bank into exam's memory; done here, not in a measurement.
  expectStatus(await call(exam, 'POST', `/exam/exams/${examIds[0]!}/sessions`, { token: students[0]!.token }), 201, 'first session')
  log(`  ${examIds.length} adaptive exams (maxItems ${options.maxItems}) assigned`)
  return { organizationId: org!.id, teacherToken, classroomId: classroom.id, students, examIds }
}
