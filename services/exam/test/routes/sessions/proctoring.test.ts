// Proctoring: a classroom's live sessions with their clocks, extensions, ending and voiding, and the audit of
// every staff action; each refusal a clear 4xx that writes nothing.
import t from 'tap'
import { contractFor } from '@dreamseed/events'
import { buildExam, createClassroom, type ExamContext } from '../../helper.js'
import { answerAt, assignedExam, eventsOf, footprint, MINUTE, newOrganization, post, school, testClock, type Headers } from './pausing.js'

const postJson = async (ctx: ExamContext, url: string, headers: Headers, payload: unknown) => await ctx.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })
const live = async (ctx: ExamContext, classroomId: string, headers: Headers) => await ctx.app.inject({ method: 'GET', url: `/exam/classrooms/${classroomId}/sessions`, headers })
const auditOf = async (ctx: ExamContext, id: string, headers: Headers) => await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${id}/audit`, headers })

t.test('the classroom\'s live sessions show status, position and time left, frozen while paused; an extension moves the deadline', async (t) => {
  const clock = testClock()
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: clock.now })
  const s = await school(ctx, { students: 3 })
  const admin = await ctx.as('admin', s.organizationId)
  const timed = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 5), stopping: { timeLimitSeconds: 600 } })
  const untimed = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(5, 8) })
  const [a, b, c] = s.students as [typeof s.student, typeof s.student, typeof s.student]
  const first = (await post(ctx.app, `/exam/exams/${timed}/sessions`, a.headers)).json()
  const idA = first.session.id as string
  const idB = (await post(ctx.app, `/exam/exams/${timed}/sessions`, b.headers)).json().session.id as string
  const idC = (await post(ctx.app, `/exam/exams/${untimed}/sessions`, c.headers)).json().session.id as string
  // A finished session is not live.
  const done = (await post(ctx.app, `/exam/exams/${untimed}/sessions`, a.headers)).json()
  let step = done
  for (let i = 0; step.item !== null; i++) step = (await answerAt(ctx, ctx.app, a.headers, step.session.id, step.item, i)).json()
  t.equal(step.session.status, 'completed')

  clock.advance(MINUTE)
  t.equal((await answerAt(ctx, ctx.app, a.headers, idA, first.item, 0)).statusCode, 200)
  clock.advance(MINUTE)
  t.equal((await post(ctx.app, `/exam/sessions/${idB}/pause`, s.teacher.headers)).statusCode, 200)
  clock.advance(3 * MINUTE)

  const res = await live(ctx, s.classroomId, s.teacher.headers)
  t.equal(res.statusCode, 200, res.body)
  const byId = new Map(res.json().sessions.map((x: { id: string }) => [x.id, x]))
  t.same([...byId.keys()].sort(), [idA, idB, idC].sort(), 'the three live sessions, not the completed one')
  t.match(byId.get(idA), { studentId: a.userId, examId: timed, examTitle: 'E', status: 'in_progress', position: 1, timeLeftS: 5 * 60, deadlineAt: '2026-03-02T09:10:00.000Z' })
  t.match(byId.get(idB), { studentId: b.userId, status: 'paused', position: 0, timeLeftS: 8 * 60, pauseReason: 'teacher' }, 'paused two minutes in: eight minutes left, however long it stays paused')
  t.match(byId.get(idC), { status: 'in_progress', timeLeftS: null, deadlineAt: null }, 'no time limit: no time left')
  t.same((await live(ctx, s.classroomId, admin.headers)).json().sessions.map((x: { id: string }) => x.id).sort(), [idA, idB, idC].sort(), 'an admin sees the same')
  const paged = (await ctx.app.inject({ method: 'GET', url: `/exam/classrooms/${s.classroomId}/sessions?limit=2`, headers: s.teacher.headers })).json()
  t.equal(paged.sessions.length, 2)
  const rest = (await ctx.app.inject({ method: 'GET', url: `/exam/classrooms/${s.classroomId}/sessions?limit=2&cursor=${paged.nextCursor as string}`, headers: s.teacher.headers })).json()
  t.same([...paged.sessions, ...rest.sessions].map((x: { id: string }) => x.id), [idA, idB, idC].sort(), 'pages in id order')

  const extended = await postJson(ctx, `/exam/sessions/${idA}/extend`, s.teacher.headers, { seconds: 300 })
  t.equal(extended.statusCode, 200, extended.body)
  t.match(extended.json().session, { status: 'in_progress', deadlineAt: '2026-03-02T09:15:00.000Z', extendedS: 300 })
  t.equal((await postJson(ctx, `/exam/sessions/${idB}/extend`, admin.headers, { seconds: 60 })).json().session.deadlineAt, '2026-03-02T09:11:00.000Z', 'a paused session\'s deadline moves too')
  const after = new Map((await live(ctx, s.classroomId, s.teacher.headers)).json().sessions.map((x: { id: string }) => [x.id, x]))
  t.match(after.get(idA), { timeLeftS: 10 * 60, extendedS: 300 })
  t.match(after.get(idB), { timeLeftS: 9 * 60, extendedS: 60 })

  // The clock: the old deadline passes and the student still answers; the new one ends the session.
  clock.advance(6 * MINUTE)
  t.equal(await ctx.app.sessionExpiry()!.runOnce(), 0, 'past the first deadline, nothing to expire')
  const second = (await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${idA}/current`, headers: a.headers })).json()
  t.equal((await answerAt(ctx, ctx.app, a.headers, idA, second.item, 1)).statusCode, 200, 'an answer 11 minutes in, within the extended 15')
  clock.advance(5 * MINUTE)
  t.equal(await ctx.app.sessionExpiry()!.runOnce(), 1, 'the extended deadline ends it')
  t.match((await ctx.sql`select status, stop_reason, completed_at from exam.sessions where id = ${idA}`)[0], { status: 'completed', stop_reason: 'time-limit' })

  const [event] = await eventsOf(ctx, idA, 'exam.session.extended')
  t.match(event!.envelope.data, { sessionId: idA, examId: timed, organizationId: s.organizationId, studentId: a.userId, by: s.teacher.userId, seconds: 300, deadlineAt: '2026-03-02T09:15:00.000Z', at: '2026-03-02T09:05:00.000Z' })
  t.same(contractFor('exam.session.extended', 1)!.check(event!.envelope), [], 'the extended event keeps its contract')
  const audit = (await auditOf(ctx, idB, s.teacher.headers)).json().actions
  t.match(audit, [
    { action: 'pause', actorId: s.teacher.userId, actorRole: 'teacher', details: { statusBefore: 'in_progress' }, at: '2026-03-02T09:02:00.000Z' },
    { action: 'extend', actorId: admin.userId, actorRole: 'admin', details: { seconds: 60, deadlineBefore: '2026-03-02T09:10:00.000Z', deadlineAt: '2026-03-02T09:11:00.000Z', statusBefore: 'paused' } }
  ])
  t.equal(audit.length, 2)
})

t.test('ending scores what was answered; voiding ends and voids, or voids an ended session, with events and audit', async (t) => {
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' })
  const s = await school(ctx, { students: 3 })
  const admin = await ctx.as('admin', s.organizationId)
  const examId = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 4) })
  const [a, b, c] = s.students as [typeof s.student, typeof s.student, typeof s.student]
  const start = async (headers: Headers) => (await post(ctx.app, `/exam/exams/${examId}/sessions`, headers)).json()

  // Ended after two answers (one right, one wrong: answerAt is wrong at position 0).
  let step = await start(a.headers)
  const idA = step.session.id as string
  for (let i = 0; i < 2; i++) step = (await answerAt(ctx, ctx.app, a.headers, idA, step.item, i)).json()
  const ended = await postJson(ctx, `/exam/sessions/${idA}/end`, s.teacher.headers, {})
  t.equal(ended.statusCode, 200, ended.body)
  t.match(ended.json(), { session: { status: 'completed', stopReason: 'proctor', voidedAt: null }, item: null, result: { itemsAnswered: 2, correctCount: 1 } })
  const [completed] = await eventsOf(ctx, idA, 'exam.session.completed')
  t.match(completed!.envelope.data, { reason: 'time-limit', endedBy: 'proctor', itemsAnswered: 2, correctCount: 1 })
  t.same(contractFor('exam.session.completed', 1)!.check(completed!.envelope), [])
  const again = await postJson(ctx, `/exam/sessions/${idA}/end`, s.teacher.headers, {})
  t.equal(again.statusCode, 409)
  t.equal(again.json().error.code, 'EXAM_SESSION_COMPLETED', 'ending an ended session')
  const answerAfter = await answerAt(ctx, ctx.app, a.headers, idA, step.item, 2)
  t.equal(answerAfter.json().error.code, 'EXAM_SESSION_COMPLETED', 'the student can answer no more')

  // Voided while paused: ended and voided in one statement, completed then voided.
  const idB = (await start(b.headers)).session.id as string
  t.equal((await post(ctx.app, `/exam/sessions/${idB}/pause`, b.headers)).statusCode, 200)
  const voided = await postJson(ctx, `/exam/sessions/${idB}/end`, admin.headers, { void: true, reason: 'phone on the desk' })
  t.equal(voided.statusCode, 200, voided.body)
  t.match(voided.json().session, { status: 'completed', stopReason: 'proctor', voidReason: 'phone on the desk' })
  t.ok(voided.json().session.voidedAt)
  const types = await ctx.sql`select type from exam.outbox where aggregate_id = ${idB} order by id`
  t.same(types.map((r) => r.type), ['exam.session.started', 'exam.session.paused', 'exam.session.completed', 'exam.session.voided'])
  const [voidEvent] = await eventsOf(ctx, idB, 'exam.session.voided')
  t.match(voidEvent!.envelope.data, { sessionId: idB, examId, organizationId: s.organizationId, studentId: b.userId, by: admin.userId, reason: 'phone on the desk' })
  t.same(contractFor('exam.session.voided', 1)!.check(voidEvent!.envelope), [], 'the voided event keeps its contract')

  // An ended session voided after the fact; a second void is refused.
  const late = await postJson(ctx, `/exam/sessions/${idA}/end`, s.teacher.headers, { void: true, reason: 'answers copied' })
  t.equal(late.statusCode, 200, late.body)
  t.match(late.json().session, { status: 'completed', stopReason: 'proctor', voidReason: 'answers copied', result: { itemsAnswered: 2 } })
  const before = await footprint(ctx, idA)
  const twice = await postJson(ctx, `/exam/sessions/${idA}/end`, s.teacher.headers, { void: true, reason: 'again' })
  t.equal(twice.statusCode, 409)
  t.equal(twice.json().error.code, 'EXAM_SESSION_VOIDED')
  t.same(await footprint(ctx, idA), before, 'nothing written')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${idA}`, headers: s.teacher.headers })).json().voidReason, 'answers copied', 'the session shows its void')

  t.match((await auditOf(ctx, idA, s.teacher.headers)).json().actions, [
    { action: 'end', actorId: s.teacher.userId, details: { statusBefore: 'in_progress', responseCount: 2, ended: true } },
    { action: 'void', actorId: s.teacher.userId, details: { statusBefore: 'completed', reason: 'answers copied' } }
  ])
  const auditB = (await auditOf(ctx, idB, admin.headers)).json().actions
  t.match(auditB, [{ action: 'void', actorRole: 'admin', details: { statusBefore: 'paused', reason: 'phone on the desk', ended: true } }])
  t.equal(auditB.length, 1, 'the student\'s own pause is not a proctor action')

  // A resume by the teacher is audited in its statement.
  const idC = (await start(c.headers)).session.id as string
  await post(ctx.app, `/exam/sessions/${idC}/pause`, s.teacher.headers)
  await post(ctx.app, `/exam/sessions/${idC}/resume`, admin.headers)
  t.match((await auditOf(ctx, idC, s.teacher.headers)).json().actions, [{ action: 'pause', actorRole: 'teacher' }, { action: 'resume', actorRole: 'admin', details: { statusBefore: 'paused' } }])
})

t.test('bad extensions, ends and voids, and proctors without the right, are refused and write nothing', async (t) => {
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600', EXAM_MAX_EXTENSION_S: '900' })
  const s = await school(ctx, { students: 2 })
  const timed = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(0, 3), stopping: { timeLimitSeconds: 600 } })
  const untimed = await assignedExam(ctx, s, { kind: 'fixed', itemIds: s.itemIds.slice(3, 6) })
  const id = (await post(ctx.app, `/exam/exams/${timed}/sessions`, s.student.headers)).json().session.id as string
  const noLimit = (await post(ctx.app, `/exam/exams/${untimed}/sessions`, s.student.headers)).json().session.id as string

  // Teaches the student, but in a classroom the exam is not assigned to.
  const otherTeacher = await ctx.as('teacher', s.organizationId)
  const otherRoom = await createClassroom(ctx, s.organizationId, otherTeacher.userId, [s.student.userId])
  const stranger = await ctx.as('teacher', s.organizationId)
  const otherAdmin = await ctx.as('admin', newOrganization())
  const before = await footprint(ctx, id)
  const beforeNoLimit = await footprint(ctx, noLimit)
  const audits = async () => (await ctx.sql`select count(*)::int as n from exam.proctor_actions`)[0]!.n
  t.equal(await audits(), 0)

  for (const [what, url, headers, payload, status, code] of [
    ['a negative extension', `/exam/sessions/${id}/extend`, s.teacher.headers, { seconds: -60 }, 400, 'VALIDATION_FAILED'],
    ['a zero extension', `/exam/sessions/${id}/extend`, s.teacher.headers, { seconds: 0 }, 400, 'VALIDATION_FAILED'],
    ['an extension beyond EXAM_MAX_EXTENSION_S', `/exam/sessions/${id}/extend`, s.teacher.headers, { seconds: 901 }, 400, 'EXAM_EXTENSION_TOO_LONG'],
    ['an extension of a session without a time limit', `/exam/sessions/${noLimit}/extend`, s.teacher.headers, { seconds: 60 }, 409, 'EXAM_SESSION_NO_TIME_LIMIT'],
    ['a void without a reason', `/exam/sessions/${id}/end`, s.teacher.headers, { void: true }, 400, 'EXAM_VOID_REASON_REQUIRED'],
    ['a void with a blank reason', `/exam/sessions/${id}/end`, s.teacher.headers, { void: true, reason: '   ' }, 400, 'EXAM_VOID_REASON_REQUIRED'],
    ['a reason over 500 characters', `/exam/sessions/${id}/end`, s.teacher.headers, { void: true, reason: 'x'.repeat(501) }, 400, 'VALIDATION_FAILED'],
    ['an extension by a teacher of another classroom', `/exam/sessions/${id}/extend`, otherTeacher.headers, { seconds: 60 }, 403, 'EXAM_NOT_SESSION_TEACHER'],
    ['an end by a teacher of another classroom', `/exam/sessions/${id}/end`, otherTeacher.headers, {}, 403, 'EXAM_NOT_SESSION_TEACHER'],
    ['a void by a teacher of another classroom', `/exam/sessions/${id}/end`, otherTeacher.headers, { void: true, reason: 'r' }, 403, 'EXAM_NOT_SESSION_TEACHER'],
    ['an extension by a teacher who does not teach the student', `/exam/sessions/${id}/extend`, stranger.headers, { seconds: 60 }, 404, 'EXAM_SESSION_NOT_FOUND'],
    ['an end by an admin of another organization', `/exam/sessions/${id}/end`, otherAdmin.headers, {}, 404, 'EXAM_SESSION_NOT_FOUND'],
    ['an extension by the student', `/exam/sessions/${id}/extend`, s.student.headers, { seconds: 60 }, 403, 'FORBIDDEN'],
    ['an end by the student', `/exam/sessions/${id}/end`, s.student.headers, {}, 403, 'FORBIDDEN']
  ] as const) {
    const res = await postJson(ctx, url, headers, payload)
    t.equal(res.statusCode, status, `${what}: ${res.statusCode}`)
    t.equal(res.json().error.code, code, `${what}: ${code}`)
  }
  t.same(await footprint(ctx, id), before, 'nothing written to the session, its responses or its events')
  t.same(await footprint(ctx, noLimit), beforeNoLimit)
  t.equal(await audits(), 0, 'and no audit row')

  for (const [what, url, headers, status, code] of [
    ['the audit, for a teacher of another classroom', `/exam/sessions/${id}/audit`, otherTeacher.headers, 403, 'EXAM_NOT_SESSION_TEACHER'],
    ['the audit, for the student', `/exam/sessions/${id}/audit`, s.student.headers, 403, 'FORBIDDEN'],
    ['the live sessions, for a teacher of another classroom', `/exam/classrooms/${s.classroomId}/sessions`, otherTeacher.headers, 403, 'EXAM_NOT_CLASSROOM_TEACHER'],
    ['the live sessions, for the student', `/exam/classrooms/${s.classroomId}/sessions`, s.student.headers, 403, 'FORBIDDEN'],
    ['the live sessions, for an admin of another organization', `/exam/classrooms/${s.classroomId}/sessions`, otherAdmin.headers, 404, 'EXAM_CLASSROOM_NOT_FOUND']
  ] as const) {
    const res = await ctx.app.inject({ method: 'GET', url, headers })
    t.equal(res.statusCode, status, `${what}: ${res.statusCode}`)
    t.equal(res.json().error.code, code, `${what}: ${code}`)
  }
  t.same((await live(ctx, otherRoom, otherTeacher.headers)).json().sessions, [], 'the other classroom has no live session of an exam assigned to it')

  // Ended sessions: no extension, no second end.
  t.equal((await postJson(ctx, `/exam/sessions/${id}/end`, s.teacher.headers, {})).statusCode, 200)
  const ended = await footprint(ctx, id)
  for (const [url, payload] of [[`/exam/sessions/${id}/extend`, { seconds: 60 }], [`/exam/sessions/${id}/end`, {}]] as const) {
    const res = await postJson(ctx, url, s.teacher.headers, payload)
    t.equal(res.statusCode, 409)
    t.equal(res.json().error.code, 'EXAM_SESSION_COMPLETED', `${url.split('/').pop()!} of a completed session`)
  }
  t.same(await footprint(ctx, id), ended, 'nothing written')
  t.equal(await audits(), 1, 'only the end was audited')
})
