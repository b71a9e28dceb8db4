import t from 'tap'
import { buildExam, newOrganization, school } from '../../helper.js'

t.test('an exam that does not hold together is refused with its reasons', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx)
  const cases: Array<[string, Record<string, unknown>, string, string?]> = [
    ['fixed without items', { kind: 'fixed' }, 'EXAM_INVALID', 'itemIds'],
    ['fixed with a subject', { kind: 'fixed', itemIds: [s.itemIds[0]], subject: 'math' }, 'EXAM_INVALID', 'subject'],
    ['fixed with a maximum length', { kind: 'fixed', itemIds: [s.itemIds[0]], stopping: { maxItems: 3 } }, 'EXAM_INVALID', 'stopping.maxItems'],
    ['fixed with an unknown item', { kind: 'fixed', itemIds: [newOrganization()] }, 'EXAM_INVALID', 'itemIds.0'],
    ['fixed with an item twice', { kind: 'fixed', itemIds: [s.itemIds[0], s.itemIds[0]] }, 'VALIDATION_FAILED'],
    ['adaptive without a subject', { kind: 'adaptive', stopping: { maxItems: 5 } }, 'EXAM_INVALID', 'subject'],
    ['adaptive without a length', { kind: 'adaptive', subject: 'math' }, 'EXAM_INVALID', 'stopping.maxItems'],
    ['adaptive with min above max', { kind: 'adaptive', subject: 'math', stopping: { minItems: 9, maxItems: 5 } }, 'EXAM_INVALID', 'stopping'],
    ['adaptive over an empty pool', { kind: 'adaptive', subject: 'history', stopping: { maxItems: 5 } }, 'EXAM_INVALID', 'subject'],
    ['a content target for a topic the pool lacks', { kind: 'adaptive', subject: 'math', contentTargets: { poetry: 1 }, stopping: { maxItems: 5 } }, 'EXAM_INVALID', 'contentTargets.poetry'],
    ['Sympson-Hetter for an item outside the pool', { kind: 'adaptive', subject: 'math', sympsonHetter: { [newOrganization()]: 0.5 }, stopping: { maxItems: 5 } }, 'EXAM_INVALID'],
    ['an unknown estimator', { kind: 'adaptive', subject: 'math', estimator: 'BME', stopping: { maxItems: 5 } }, 'VALIDATION_FAILED'],
    ['randomesque 0', { kind: 'adaptive', subject: 'math', randomesque: 0, stopping: { maxItems: 5 } }, 'VALIDATION_FAILED'],
    ['a pretest rate of 0.9', { kind: 'adaptive', subject: 'math', pretestRate: 0.9, stopping: { maxItems: 5 } }, 'VALIDATION_FAILED'],
    ['a time limit of 1 second', { kind: 'adaptive', subject: 'math', stopping: { maxItems: 5, timeLimitSeconds: 1 } }, 'VALIDATION_FAILED'],
    ['an SE target of 0', { kind: 'adaptive', subject: 'math', stopping: { maxItems: 5, seTarget: 0 } }, 'VALIDATION_FAILED'],
    ['an unknown stopping rule', { kind: 'adaptive', subject: 'math', stopping: { maxItems: 5, maxMinutes: 3 } }, 'VALIDATION_FAILED'],
    ['an unknown kind', { kind: 'oral' }, 'VALIDATION_FAILED']
  ]
  for (const [name, body, code, path] of cases) {
    const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'T', ...body } })
    t.equal(res.statusCode, 400, `${name}: ${res.body}`)
    t.equal(res.json().error.code, code, name)
    if (path !== undefined) t.equal(res.json().error.details?.[0]?.path, path, `${name}: names ${path}`)
  }
  t.equal((await ctx.sql`select count(*)::int as n from exam.exams`)[0]!.n, 0, 'nothing was written')
})

t.test('bad input on the exam and session routes gets a 4xx in the error model, never a 5xx', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx)
  const exam = (await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'T', kind: 'adaptive', subject: 'math', stopping: { maxItems: 3 } } })).json()
  await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })
  const started = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${exam.id as string}/sessions`, headers: s.student.headers })).json()
  const sid = started.session.id as string
  const teacherJson = { ...s.teacher.headers, 'content-type': 'application/json' }
  const studentJson = { ...s.student.headers, 'content-type': 'application/json' }
  const answers = `/exam/sessions/${sid}/answers`
  const cases: Array<[string, 'GET' | 'POST' | 'PUT' | 'DELETE', string, string | undefined, Record<string, string>]> = [
    ['exam: missing title', 'POST', '/exam/exams', JSON.stringify({ kind: 'fixed', itemIds: [s.itemIds[0]] }), teacherJson],
    ['exam: extra field', 'POST', '/exam/exams', JSON.stringify({ title: 'x', kind: 'fixed', itemIds: [s.itemIds[0]], owner: 'me' }), teacherJson],
    ['exam: wrong types', 'POST', '/exam/exams', JSON.stringify({ title: 1, kind: 'fixed', itemIds: 'all' }), teacherJson],
    ['exam: malformed JSON', 'POST', '/exam/exams', '{"title":', teacherJson],
    ['exam: over the body limit', 'POST', '/exam/exams', JSON.stringify({ title: 'x'.repeat(70_000), kind: 'fixed' }), teacherJson],
    ['exam: too many items', 'POST', '/exam/exams', JSON.stringify({ title: 'x', kind: 'fixed', itemIds: Array.from({ length: 201 }, () => newOrganization()) }), teacherJson],
    ['exam: not a uuid', 'GET', '/exam/exams/123', undefined, s.teacher.headers],
    ['exam: unknown', 'GET', `/exam/exams/${newOrganization()}`, undefined, s.teacher.headers],
    ['exams: bad cursor', 'GET', '/exam/exams?cursor=x', undefined, s.teacher.headers],
    ['assign: classroom not a uuid', 'PUT', `/exam/exams/${exam.id as string}/classrooms/abc`, undefined, s.teacher.headers],
    ['assign: unknown exam', 'PUT', `/exam/exams/${newOrganization()}/classrooms/${s.classroomId}`, undefined, s.teacher.headers],
    ['unassign: classroom not a uuid', 'DELETE', `/exam/exams/${exam.id as string}/classrooms/abc`, undefined, s.teacher.headers],
    ['unassign: unknown exam', 'DELETE', `/exam/exams/${newOrganization()}/classrooms/${s.classroomId}`, undefined, s.teacher.headers],
    ['unassign: by a student', 'DELETE', `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, undefined, s.student.headers],
    ['start: unknown exam', 'POST', `/exam/exams/${newOrganization()}/sessions`, undefined, s.student.headers],
    ['start: not a uuid', 'POST', '/exam/exams/xyz/sessions', undefined, s.student.headers],
    ['answer: missing option', 'POST', answers, JSON.stringify({ itemId: started.item.id }), studentJson],
    ['answer: extra field', 'POST', answers, JSON.stringify({ itemId: started.item.id, optionIndex: 0, correct: true }), studentJson],
    ['answer: option as a string', 'POST', answers, JSON.stringify({ itemId: started.item.id, optionIndex: '0' }), studentJson],
    ['answer: negative option', 'POST', answers, JSON.stringify({ itemId: started.item.id, optionIndex: -1 }), studentJson],
    ['answer: fractional time', 'POST', answers, JSON.stringify({ itemId: started.item.id, optionIndex: 0, timeTakenMs: 1.5 }), studentJson],
    ['answer: item not a uuid', 'POST', answers, JSON.stringify({ itemId: 'x', optionIndex: 0 }), studentJson],
    ['answer: malformed JSON', 'POST', answers, '{"itemId"', studentJson],
    ['answer: an array', 'POST', answers, '[]', studentJson],
    ['answer: oversize', 'POST', answers, JSON.stringify({ itemId: started.item.id, optionIndex: 0, pad: 'x'.repeat(70_000) }), studentJson],
    ['answer: unknown session', 'POST', `/exam/sessions/${newOrganization()}/answers`, JSON.stringify({ itemId: started.item.id, optionIndex: 0 }), studentJson],
    ['answer: no token', 'POST', answers, JSON.stringify({ itemId: started.item.id, optionIndex: 0 }), { 'content-type': 'application/json' }],
    ['session: not a uuid', 'GET', '/exam/sessions/abc', undefined, s.student.headers],
    ['session: unknown', 'GET', `/exam/sessions/${newOrganization()}`, undefined, s.student.headers],
    ['session: over-long id', 'GET', `/exam/sessions/${'a'.repeat(5000)}`, undefined, s.student.headers],
    ['current: not a uuid', 'GET', '/exam/sessions/1%27%20or%201=1/current', undefined, s.student.headers],
    ['sessions: unknown filter', 'GET', '/exam/sessions?studentId=x', undefined, s.teacher.headers],
    ['sessions: exam not a uuid', 'GET', '/exam/sessions?examId=1', undefined, s.teacher.headers],
    ['unknown route', 'GET', '/exam/nothing', undefined, s.teacher.headers]
  ]
  for (const [name, method, url, payload, headers] of cases) {
    const res = await ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode} ${res.json().error?.code as string}`)
    t.type(res.json().error?.code, 'string', `${name}: error code`)
    t.type(res.json().error?.requestId, 'string', `${name}: request id`)
  }
  t.equal((await ctx.sql`select count(*)::int as n from exam.responses`)[0]!.n, 0, 'no answer was recorded')
  t.equal((await ctx.sql`select count(*)::int as n from exam.exams`)[0]!.n, 1)
  t.equal((await ctx.sql`select count(*)::int as n from exam.assignments`)[0]!.n, 1, 'the assignment a student tried to remove is still there')
})
