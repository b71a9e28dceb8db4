// Who may pause and resume a session, and what is refused: each refusal a clear 4xx with its code, and nothing
// written (the session row, its responses and its events as they were).
import t from 'tap'
import { buildExam, createClassroom } from '../../helper.js'
import { answerAt, assignedExam, eventsOf, footprint, newOrganization, post, school } from './pausing.js'

t.test('the student, a teacher of the exam\'s classroom and an admin pause and resume; a student cannot lift a teacher\'s pause', async (t) => {
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' })
  const s = await school(ctx)
  const admin = await ctx.as('admin', s.organizationId)
  const examId = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 4) })
  const start = (await post(ctx.app, `/exam/exams/${examId}/sessions`, s.student.headers)).json()
  const id = start.session.id as string
  const pause = async (headers: Record<string, string>) => await post(ctx.app, `/exam/sessions/${id}/pause`, headers)
  const resume = async (headers: Record<string, string>) => await post(ctx.app, `/exam/sessions/${id}/resume`, headers)

  t.match((await pause(s.teacher.headers)).json(), { session: { status: 'paused', pauseReason: 'teacher' }, item: null })
  const before = await footprint(ctx, id)
  const byStudent = await resume(s.student.headers)
  t.equal(byStudent.statusCode, 403)
  t.equal(byStudent.json().error.code, 'EXAM_PAUSED_BY_STAFF', 'a student cannot lift a teacher\'s pause')
  const continued = await post(ctx.app, `/exam/exams/${examId}/sessions`, s.student.headers)
  t.equal(continued.statusCode, 200)
  t.match(continued.json(), { session: { id, status: 'paused' }, item: null }, 'continuing the exam shows it paused, without its item')
  const secondPause = await pause(s.student.headers)
  t.match(secondPause.json(), { session: { status: 'paused', pauseReason: 'teacher' } }, 'pausing a paused session leaves it as it is')
  t.same(await footprint(ctx, id), before, 'none of which wrote anything')

  t.match((await resume(admin.headers)).json(), { session: { status: 'in_progress' }, item: { id: start.item.id } }, 'an admin resumes it')
  const resumedAgain = await resume(s.student.headers)
  t.match(resumedAgain.json(), { session: { status: 'in_progress' }, item: { id: start.item.id } }, 'resuming a session in progress returns it as it is')
  t.match((await pause(admin.headers)).json(), { session: { status: 'paused', pauseReason: 'admin' } })
  t.equal((await resume(s.teacher.headers)).statusCode, 200, 'a teacher lifts an admin\'s pause')
  t.match((await pause(s.student.headers)).json(), { session: { status: 'paused', pauseReason: 'student' } })
  t.match((await resume(s.student.headers)).json(), { session: { status: 'in_progress' }, item: { id: start.item.id } }, 'the student lifts their own pause')

  const events = await ctx.sql`select type, envelope->'data'->>'reason' as reason from exam.outbox where aggregate_id = ${id} and type like 'exam.session.%' order by id`
  t.same(events.map((e) => `${e.type as string}:${e.reason as string}`), [
    'exam.session.started:null',
    'exam.session.paused:teacher', 'exam.session.resumed:admin',
    'exam.session.paused:admin', 'exam.session.resumed:teacher',
    'exam.session.paused:student', 'exam.session.resumed:student'
  ], 'one event per change, none for what changed nothing')
})

t.test('a pause by a teacher of another classroom, of a completed session or by a stranger is refused, and nothing is written', async (t) => {
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' })
  const s = await school(ctx, { students: 2 })
  const examId = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 1) })
  const start = (await post(ctx.app, `/exam/exams/${examId}/sessions`, s.student.headers)).json()
  const id = start.session.id as string

  // Teaches the student, but in a classroom the exam is not assigned to: sees the session, may not pause it.
  const otherTeacher = await ctx.as('teacher', s.organizationId)
  await createClassroom(ctx, s.organizationId, otherTeacher.userId, [s.student.userId])
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${id}`, headers: otherTeacher.headers })).statusCode, 200, 'the other classroom\'s teacher reads the session')
  const stranger = await ctx.as('teacher', s.organizationId)
  const otherSchool = await ctx.as('admin', newOrganization())
  const classmate = s.students[1]!

  const before = await footprint(ctx, id)
  for (const [who, headers, status, code] of [
    ['a teacher of another classroom', otherTeacher.headers, 403, 'EXAM_NOT_SESSION_TEACHER'],
    ['a teacher who does not teach the student', stranger.headers, 404, 'EXAM_SESSION_NOT_FOUND'],
    ['an admin of another organization', otherSchool.headers, 404, 'EXAM_SESSION_NOT_FOUND'],
    ['another student', classmate.headers, 404, 'EXAM_SESSION_NOT_FOUND']
  ] as const) {
    for (const action of ['pause', 'resume']) {
      const res = await post(ctx.app, `/exam/sessions/${id}/${action}`, headers)
      t.equal(res.statusCode, status, `${action} by ${who}: ${res.statusCode}`)
      t.equal(res.json().error.code, code, `${action} by ${who}: ${code as string}`)
    }
  }
  t.same(await footprint(ctx, id), before, 'nothing written by any of them')

  const done = await answerAt(ctx, ctx.app, s.student.headers, id, start.item, 1)
  t.match(done.json(), { session: { status: 'completed' } })
  const completed = await footprint(ctx, id)
  for (const action of ['pause', 'resume']) {
    for (const headers of [s.student.headers, s.teacher.headers]) {
      const res = await post(ctx.app, `/exam/sessions/${id}/${action}`, headers)
      t.equal(res.statusCode, 409)
      t.equal(res.json().error.code, 'EXAM_SESSION_COMPLETED', `${action} of a completed session`)
    }
  }
  t.same(await footprint(ctx, id), completed, 'nothing written')
  t.same(await eventsOf(ctx, id, 'exam.session.paused'), [], 'no paused event')
  const unknown = await post(ctx.app, '/exam/sessions/01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10/pause', s.student.headers)
  t.equal(unknown.json().error.code, 'EXAM_SESSION_NOT_FOUND')
})
