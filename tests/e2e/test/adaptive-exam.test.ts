import t from 'tap'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { waitFor } from '@dreamseed/testing'
import { call, newTeacher, signIn, startPlatform } from './helper.js'

// The whole school flow across services: auth issues the tokens and publishes the classroom events, exam
// trusts auth's JWKS and learns the classroom from those events, and a student takes an adaptive exam.
t.test('a teacher imports a bank, builds an adaptive exam and assigns it; a student of the classroom takes it to the end', async (t) => {
  const platform = await startPlatform(t, { env: { VERIFICATION_RESEND_INTERVAL_S: '0' } })
  const exam = await buildExam(loadExamConfig({ ...platform.env, AUTH_JWKS_URL: `${platform.authUrl}/.well-known/jwks.json` }))
  await exam.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => exam.close())
  const examUrl = `http://127.0.0.1:${(exam.server.address() as { port: number }).port}`
  const stamp = Date.now()
  const teacher = (await newTeacher(platform, `teacher-${stamp}@example.org`)).token

  const classroom = await call(platform.authUrl, 'POST', '/auth/classrooms', teacher, { name: 'Algebra 1' })
  t.equal(classroom.status, 201)
  const student = await signIn(platform, `student-${stamp}@example.org`)
  const joined = await call(platform.authUrl, 'POST', '/auth/classrooms/join', student.accessToken, { code: classroom.body!.joinCode })
  t.equal(joined.status, 200)
  t.equal(joined.body!.joinedOrganization, true)
  const studentToken = (await call(platform.authUrl, 'POST', '/auth/token', undefined, { sessionToken: student.sessionToken })).body!.accessToken as string

  const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify({
    stem: `Question ${i}`, options: ['a', 'b', 'c', 'd'], correctIndex: i % 4, subject: 'math', topics: [i % 2 === 0 ? 'algebra' : 'geometry'],
    a: 0.8 + (i % 5) * 0.3, b: -3 + (6 * i) / 59, c: 0.1, status: 'active'
  })).join('\n')
  const imported = await call(examUrl, 'POST', '/exam/items/import', teacher, lines, 'application/x-ndjson')
  t.equal(imported.status, 201, JSON.stringify(imported.body).slice(0, 300))
  const created = await call(examUrl, 'POST', '/exam/exams', teacher, { title: 'Algebra check', kind: 'adaptive', subject: 'math', estimator: 'EAP', startTheta: 0, randomesque: 2, stopping: { minItems: 5, maxItems: 12, seTarget: 0.4 } })
  t.equal(created.status, 201, JSON.stringify(created.body).slice(0, 300))
  const examId = created.body!.id as string
  // exam learns the classroom from auth's classroom.created event: assign once it has arrived.
  await waitFor(async () => (await call(examUrl, 'PUT', `/exam/exams/${examId}/classrooms/${classroom.body!.id as string}`, teacher)).status === 204, { what: 'the classroom to reach exam', timeoutMs: 20000 })

  const started = await waitFor(async () => {
    const res = await call(examUrl, 'POST', `/exam/exams/${examId}/sessions`, studentToken)
    return res.status === 201 ? res : undefined
  }, { what: 'the membership to reach exam', timeoutMs: 20000 })
  const sessionId = started.body!.session.id as string
  let item = started.body!.item as { id: string, options: string[] } | null
  t.notOk('correctIndex' in (item ?? {}), 'the student never sees the key')
  let result: Record<string, unknown> | null = null
  let answered = 0
  while (item !== null && answered < 20) {
    const step = await call(examUrl, 'POST', `/exam/sessions/${sessionId}/answers`, studentToken, { itemId: item.id, optionIndex: answered % 4, timeTakenMs: 5000 })
    t.equal(step.status, 200)
    answered++
    item = step.body!.item
    result = step.body!.result
  }
  t.ok(answered >= 5 && answered <= 12, `the stopping rule ended it after ${answered} items`)
  t.type(result?.theta, 'number')
  t.type(result?.se, 'number')
  t.equal(result?.itemsAnswered, answered)
  await waitFor(async () => (await platform.sql`select count(*)::int as n from exam.outbox where type = 'exam.session.completed' and published_at is not null`)[0]?.n === 1, { what: 'exam.session.completed published' })
  const mine = await call(examUrl, 'GET', '/exam/sessions', studentToken)
  t.equal(mine.body!.sessions.length, 1)
})
