// Every route of exam that needs a token (all of them), read from exam's own OpenAPI walked by another
// school's admin, teacher and student and by a teacher and a student of no school, naming school A's items,
// exams, classroom and a session a student of A's has answered in (packages/testing's route walk states the
// rules). A route added later is walked as it is; one with a new kind of path id fails here until its A value
// is added to `values` below.
import t from 'tap'
import { actorWith, walkAsOutsiders } from '@dreamseed/testing'
import { adaptiveBank, buildExam, school, type ExamContext } from '../helper.js'

type Headers = Record<string, string>

async function createExam (ctx: ExamContext, headers: Headers, classroomId: string, body: Record<string, unknown>): Promise<string> {
  const created = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers, payload: body })
  if (created.statusCode !== 201) throw new Error(`exam not created: ${created.body}`)
  const examId = created.json().id as string
  const assigned = await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${examId}/classrooms/${classroomId}`, headers })
  if (assigned.statusCode !== 204) throw new Error(`exam not assigned: ${assigned.body}`)
  return examId
}

/** A school of exam's: items, an adaptive and a fixed exam assigned to its classroom, an admin, and a session its student has answered in. */
async function examSchool (ctx: ExamContext, items: number) {
  const s = await school(ctx, { students: 2, items: adaptiveBank(items) })
  const admin = await ctx.as('admin', s.organizationId)
  const adaptive = await createExam(ctx, s.teacher.headers, s.classroomId, { title: 'Adaptive', kind: 'adaptive', subject: 'math', stopping: { minItems: 3, maxItems: 5 } })
  const fixed = await createExam(ctx, s.teacher.headers, s.classroomId, { title: 'Fixed', kind: 'fixed', itemIds: s.itemIds.slice(0, 3) })
  const started = await ctx.app.inject({ method: 'POST', url: `/exam/exams/${adaptive}/sessions`, headers: s.student.headers })
  if (started.statusCode !== 201) throw new Error(`session not started: ${started.body}`)
  const sessionId = started.json().session.id as string
  const served = started.json().item.id as string
  const answered = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers: s.student.headers, payload: { itemId: served, optionIndex: 1, timeTakenMs: 3000 } })
  if (answered.statusCode !== 200) throw new Error(`not answered: ${answered.body}`)
  const next = answered.json().item.id as string
  const passage = await ctx.app.inject({ method: 'POST', url: '/exam/passages', headers: s.teacher.headers, payload: { ref: 'p1', title: 'A passage', stimulus: 'Read this.' } })
  if (passage.statusCode !== 201) throw new Error(`passage not created: ${passage.body}`)
  return { ...s, admin, adaptive, fixed, sessionId, next, passageId: passage.json().id as string }
}

t.test('exam: every route, walked by outsiders naming school A\'s things, tells them nothing and changes nothing of A\'s', async (t) => {
  const ctx = await buildExam(t)
  const a = await examSchool(ctx, 12)
  const b = await examSchool(ctx, 6)
  const values = {
    'items/{id}': a.itemIds[0],
    'exams/{id}': a.adaptive,
    'classrooms/{classroomId}': a.classroomId,
    'sessions/{id}': a.sessionId,
    'passages/{id}': a.passageId,
    '?examId': a.adaptive,
    '?cursor': null,
    // The item A's student is being asked now, and items of A's to build an exam from.
    '.itemId': a.next,
    '.itemIds': [a.itemIds[1]]
  }
  const own = { 'items/{id}': b.itemIds[0], 'passages/{id}': b.passageId, 'exams/{id}': b.adaptive, 'classrooms/{classroomId}': b.classroomId, '.itemId': b.next, '.itemIds': [b.itemIds[1]] }
  const ids = [a.organizationId, a.teacher.userId, a.admin.userId, ...a.students.map((s) => s.userId), a.classroomId, ...a.itemIds, a.adaptive, a.fixed, a.sessionId, a.passageId]
  // The control: A's own teacher reading, so the rules above are known to see an answer, a list of A's things
  // and a difference from things that do not exist.
  const insider = actorWith('teacher of A', a.teacher)
  const seen = await walkAsOutsiders(t, ctx, { schema: 'exam', values, own, ids, b, insider, holds: ['items', 'passages', 'exams', 'assignments', 'classrooms', 'classroom_members', 'sessions', 'responses'] })
  t.match(seen, /GET \/exam\/items\/\{id\} as teacher of A \(A's\): 200, not 403 or 404/, 'an item A\'s teacher may read is seen as answering')
  t.match(seen, /GET \/exam\/exams as teacher of A .*shows A's/, 'a list showing A\'s exams is seen')
  t.match(seen, /GET \/exam\/exams\/\{id\} as teacher of A \(A's\): A's things answer 200/, 'an answer unlike the one for a missing exam is seen')
})
