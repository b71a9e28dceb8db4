import t from 'tap'
import { classroomMemberAddedV1, newEnvelope, streamFor } from '@dreamseed/events'
import { waitForConsumerIdle } from '@dreamseed/testing'
import { CLASSROOM_DURABLE } from '../../src/consumers/event-consumers.js'
import { buildExam, createClassroom, newOrganization, removeFromClassroom, school } from '../helper.js'

t.test('only students of an assigned classroom take an exam, and each sees only their own sessions', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { students: 2 })
  const [ann, bob] = s.students as [typeof s.student, typeof s.student]
  const outsider = await ctx.as('student', s.organizationId)
  const otherClassroom = await createClassroom(ctx, s.organizationId, s.teacher.userId, [outsider.userId])
  const exam = (await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'Assigned', kind: 'adaptive', subject: 'math', stopping: { maxItems: 3 } } })).json()
  const start = async (who: { headers: Record<string, string> }) => await ctx.app.inject({ method: 'POST', url: `/exam/exams/${exam.id as string}/sessions`, headers: who.headers })

  t.equal((await start(ann)).json().error.code, 'EXAM_NOT_ASSIGNED', 'not assigned to anyone yet')
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })).statusCode, 204)
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })).statusCode, 204, 'assigning twice changes nothing')
  t.same((await ctx.app.inject({ method: 'GET', url: `/exam/exams/${exam.id as string}`, headers: s.teacher.headers })).json().classroomIds, [s.classroomId])

  const annSession = (await start(ann)).json().session.id as string
  t.equal((await start(outsider)).json().error.code, 'EXAM_NOT_ASSIGNED', 'a student of another classroom')
  t.same((await ctx.app.inject({ method: 'GET', url: '/exam/exams', headers: outsider.headers })).json().exams, [])
  const stranger = await ctx.as('student', newOrganization())
  t.equal((await start(stranger)).json().error.code, 'EXAM_NOT_FOUND', 'a student of another organization learns nothing')

  for (const url of [`/exam/sessions/${annSession}`, `/exam/sessions/${annSession}/current`]) {
    t.equal((await ctx.app.inject({ method: 'GET', url, headers: bob.headers })).json().error.code, 'EXAM_SESSION_NOT_FOUND', `another student: ${url}`)
  }
  const current = (await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${annSession}/current`, headers: ann.headers })).json()
  t.equal((await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${annSession}/answers`, headers: bob.headers, payload: { itemId: current.item.id, optionIndex: 0 } })).json().error.code, 'EXAM_SESSION_NOT_FOUND')
  t.equal((await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${annSession}/answers`, headers: s.teacher.headers, payload: { itemId: current.item.id, optionIndex: 0 } })).statusCode, 403, 'a teacher does not answer')
  const bobSession = (await start(bob)).json().session.id as string
  t.same((await ctx.app.inject({ method: 'GET', url: '/exam/sessions', headers: ann.headers })).json().sessions.map((x: { id: string }) => x.id), [annSession])
  t.same((await ctx.app.inject({ method: 'GET', url: `/exam/sessions?examId=${exam.id as string}`, headers: s.teacher.headers })).json().sessions.map((x: { id: string }) => x.id), [annSession, bobSession])

  const otherTeacher = await ctx.as('teacher', newOrganization())
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${annSession}`, headers: otherTeacher.headers })).json().error.code, 'EXAM_SESSION_NOT_FOUND', 'another organization learns nothing')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/exams/${exam.id as string}`, headers: otherTeacher.headers })).json().error.code, 'EXAM_NOT_FOUND')
  t.same((await ctx.app.inject({ method: 'GET', url: '/exam/sessions', headers: otherTeacher.headers })).json().sessions, [])
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, headers: otherTeacher.headers })).json().error.code, 'EXAM_NOT_FOUND')

  const colleague = await ctx.as('teacher', s.organizationId)
  t.same((await ctx.app.inject({ method: 'GET', url: '/exam/sessions', headers: colleague.headers })).json().sessions, [], 'a teacher of the same school sees only their own classrooms\' sessions')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${annSession}`, headers: colleague.headers })).json().error.code, 'EXAM_SESSION_NOT_FOUND', 'nor reads one of another classroom')
  const admin = await ctx.as('admin', s.organizationId)
  t.same((await ctx.app.inject({ method: 'GET', url: '/exam/sessions', headers: admin.headers })).json().sessions.map((x: { id: string }) => x.id).sort(), [annSession, bobSession].sort(), 'an admin sees the organization\'s')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${annSession}`, headers: admin.headers })).json().responses.length, 0)
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${otherClassroom}`, headers: colleague.headers })).json().error.code, 'EXAM_NOT_CLASSROOM_TEACHER')
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${newOrganization()}`, headers: s.teacher.headers })).json().error.code, 'EXAM_CLASSROOM_NOT_FOUND')

  const carl = await ctx.as('student', s.organizationId)
  await ctx.publish(newEnvelope(classroomMemberAddedV1, { classroomId: s.classroomId, organizationId: s.organizationId, userId: carl.userId, role: 'student', joinedAt: new Date(Date.now() - 60_000).toISOString() }))
  await removeFromClassroom(ctx, s.classroomId, s.organizationId, carl.userId, s.teacher.userId)
  t.equal((await start(carl)).json().error.code, 'EXAM_NOT_ASSIGNED', 'a removed student may not start')
  const staleAdd = newEnvelope(classroomMemberAddedV1, { classroomId: s.classroomId, organizationId: s.organizationId, userId: carl.userId, role: 'student', joinedAt: new Date(Date.now() - 30_000).toISOString() })
  await ctx.publish(staleAdd)
  await ctx.publish(staleAdd)
  // Both deliveries settled (applied or dropped) before the counts.
  await waitForConsumerIdle(ctx.nc, streamFor(ctx.prefix, 'classroom.member.added'), CLASSROOM_DURABLE)
  t.equal((await ctx.sql`select removed from exam.classroom_members where user_id = ${carl.userId}`)[0]!.removed, true, 'an add older than the removal does not bring the student back')
  t.equal((await ctx.sql`select count(*)::int as n from exam.inbox where event_id = ${staleAdd.id}`)[0]!.n, 1, 'each event is applied once')
  t.equal((await ctx.app.inject({ method: 'DELETE', url: `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })).statusCode, 204)
  t.equal((await start(bob)).statusCode, 200, 'a session already started resumes even after the exam is unassigned')
})

t.test('a teacher or admin without an organization, or of another one, cannot create or read exams', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx)
  const homeless = await ctx.as('admin', null)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: homeless.headers, payload: { title: 'x', kind: 'fixed', itemIds: [s.itemIds[0]] } })).json().error.code, 'EXAM_NO_ORGANIZATION')
  const other = await ctx.as('admin', newOrganization())
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: other.headers, payload: { title: 'x', kind: 'fixed', itemIds: [s.itemIds[0]] } })
  t.equal(res.json().error.code, 'EXAM_INVALID', 'another organization\'s items are not theirs to use')
  t.same(res.json().error.details, [{ path: 'itemIds.0', message: 'is not an active item of your organization' }])
  t.equal((await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.student.headers, payload: { title: 'x', kind: 'fixed', itemIds: [s.itemIds[0]] } })).statusCode, 403)
})
