import t from 'tap'
import { waitFor } from '@dreamseed/testing'
import { call, newTeacher, signIn, startExamAndAnalytics, startPlatform } from './helper.js'

// Analytics learns everything from the events auth and exam publish: after a student finishes an adaptive
// exam, their teacher sees the result in the classroom summary and chart, the student in their progress.
t.test('a finished adaptive exam reaches the teacher\'s classroom summary and chart and the student\'s progress', async (t) => {
  const platform = await startPlatform(t, { env: { VERIFICATION_RESEND_INTERVAL_S: '0' } })
  const { examUrl, analyticsUrl } = await startExamAndAnalytics(t, platform)
  const stamp = Date.now()
  const teacher = (await newTeacher(platform, `teacher-${stamp}@example.org`)).token
  const classroom = await call(platform.authUrl, 'POST', '/auth/classrooms', teacher, { name: 'Algebra 1' })
  const classroomId = classroom.body!.id as string
  const student = await signIn(platform, `student-${stamp}@example.org`)
  await call(platform.authUrl, 'POST', '/auth/classrooms/join', student.accessToken, { code: classroom.body!.joinCode })
  const studentToken = (await call(platform.authUrl, 'POST', '/auth/token', undefined, { sessionToken: student.sessionToken })).body!.accessToken as string
  const studentId = JSON.parse(Buffer.from(studentToken.split('.')[1]!, 'base64url').toString()).sub as string

  const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify({ stem: `Question ${i}`, options: ['a', 'b', 'c', 'd'], correctIndex: i % 4, subject: 'math', topics: ['algebra'], a: 0.8 + (i % 5) * 0.3, b: -3 + (6 * i) / 39, status: 'active' })).join('\n')
  t.equal((await call(examUrl, 'POST', '/exam/items/import', teacher, lines, 'application/x-ndjson')).status, 201)
  const examId = (await call(examUrl, 'POST', '/exam/exams', teacher, { title: 'Algebra check', kind: 'adaptive', subject: 'math', stopping: { minItems: 5, maxItems: 8 } })).body!.id as string
  await waitFor(async () => (await call(examUrl, 'PUT', `/exam/exams/${examId}/classrooms/${classroomId}`, teacher)).status === 204, { what: 'the classroom to reach exam', timeoutMs: 20000 })
  const session = await waitFor(async () => {
    const res = await call(examUrl, 'POST', `/exam/exams/${examId}/sessions`, studentToken)
    return res.status === 201 ? res.body : undefined
  }, { what: 'the membership to reach exam', timeoutMs: 20000 })
  let item = session.item as { id: string } | null
  let result: { theta: number, se: number, itemsAnswered: number } | null = null
  for (let answered = 0; item !== null && answered < 20; answered++) {
    const step = (await call(examUrl, 'POST', `/exam/sessions/${session.session.id as string}/answers`, studentToken, { itemId: item.id, optionIndex: answered % 4, timeTakenMs: 4000 })).body!
    item = step.item
    result = step.result
  }
  t.ok(result !== null, 'the session ended')
  const endedAt = Date.now()

  const summary = await waitFor(async () => {
    const res = await call(analyticsUrl, 'GET', `/analytics/classrooms/${classroomId}`, teacher)
    return res.status === 200 && res.body!.exams[0]?.completedBy === 1 && res.body!.subjects.length === 1 ? res.body! : undefined
  }, { what: 'the result in the classroom summary', timeoutMs: 20000 })
  // A figure for the record, not a pass/fail timing: how long the teacher waited (outbox, JetStream, consumer, cache).
  t.comment(`visible to the teacher ${Date.now() - endedAt} ms after the last answer`)
  t.equal(summary.classroom.students, 1)
  t.equal(summary.exams[0].title, 'Algebra check')
  t.equal(summary.subjects[0].subject, 'math')
  t.equal(summary.subjects[0].ability.median, Math.round(result!.theta * 1e4) / 1e4)
  const chart = await call(analyticsUrl, 'GET', `/analytics/classrooms/${classroomId}/ability-chart.svg?subject=math`, teacher)
  t.match(chart.type, /^image\/svg\+xml/)
  t.match(chart.text, /\(1 students\)/)
  const progress = (await call(analyticsUrl, 'GET', `/analytics/students/${studentId}`, studentToken)).body!
  t.equal(progress.sessionsTaken, 1)
  t.equal(progress.itemsAnswered, result!.itemsAnswered)
  t.equal(progress.subjects[0].history.length, 1)
  const exam = (await call(analyticsUrl, 'GET', `/analytics/exams/${examId}`, teacher)).body!
  t.equal(exam.completions, 1)
  t.equal(exam.title, 'Algebra check')
})
