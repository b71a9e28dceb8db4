import t from 'tap'
import { jetstreamManager } from '@nats-io/jetstream'
import { contractFor, streamFor } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildExam, school, type ExamContext } from '../../helper.js'

type Headers = Record<string, string>

async function createExam (ctx: ExamContext, headers: Headers, body: Record<string, unknown>): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers, payload: body })
  if (res.statusCode !== 201) throw new Error(`exam not created: ${res.body}`)
  return res.json().id
}

async function assign (ctx: ExamContext, headers: Headers, examId: string, classroomId: string): Promise<void> {
  const res = await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${examId}/classrooms/${classroomId}`, headers })
  if (res.statusCode !== 204) throw new Error(`not assigned: ${res.body}`)
}

/** The key of an item, read the way only a test may. */
async function keyOf (ctx: ExamContext, itemId: string): Promise<number> {
  return (await ctx.sql`select correct_index from exam.items where id = ${itemId}`)[0]!.correct_index
}

t.test('a student takes an adaptive exam from start to result, and every step is recorded and announced', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: undefined })
  const examId = await createExam(ctx, s.teacher.headers, { title: 'Algebra check', kind: 'adaptive', subject: 'math', estimator: 'EAP', randomesque: 2, contentTargets: { algebra: 1, geometry: 1 }, stopping: { minItems: 3, maxItems: 6 } })
  await assign(ctx, s.teacher.headers, examId, s.classroomId)

  const listed = await ctx.app.inject({ method: 'GET', url: '/exam/exams', headers: s.student.headers })
  t.same(listed.json().exams, [{ id: examId, title: 'Algebra check', kind: 'adaptive', timeLimitSeconds: null, accommodations: null, session: null }])

  const started = await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })
  t.equal(started.statusCode, 201, started.body)
  const first = started.json()
  t.same(Object.keys(first.item).sort(), ['id', 'options', 'passage', 'position', 'stem', 'type'], 'an item without key or parameters')
  t.equal(first.item.position, 0)
  t.match(first.session, { status: 'in_progress', examId, studentId: s.student.userId, itemsAnswered: 0, deadlineAt: null })
  const sessionId = first.session.id as string

  let item = first.item
  const seen: string[] = []
  let last
  for (let step = 0; step < 10 && item !== null; step++) {
    seen.push(item.id)
    const key = await keyOf(ctx, item.id)
    const optionIndex = step % 2 === 0 ? key : (key + 1) % item.options.length
    const res = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers: s.student.headers, payload: { itemId: item.id, optionIndex, timeTakenMs: 1000 + step } })
    t.equal(res.statusCode, 200, res.body)
    last = res.json()
    t.equal(last.answer.position, step)
    item = last.item
  }
  t.equal(seen.length, 6, 'stopped at maxItems')
  t.equal(new Set(seen).size, 6, 'no item twice')
  t.equal(last.item, null)
  t.match(last.session, { status: 'completed', stopReason: 'max-items', itemsAnswered: 6 })
  t.match(last.result, { itemsAnswered: 6, correctCount: 3 })
  t.ok(last.result.se > 0 && last.result.se < 1, `SE ${last.result.se as number}`)
  t.same(last.result.topics.map((x: { topic: string }) => x.topic), ['algebra', 'geometry'])
  t.equal(last.result.topics.reduce((n: number, x: { answered: number }) => n + x.answered, 0), 6)
  t.equal(last.result.topics.find((x: { topic: string }) => x.topic === 'algebra').answered, 3, 'content targets split the items evenly')

  const rows = await ctx.sql`select position, item_id, correct, theta_after, se_after, time_taken_ms from exam.responses where session_id = ${sessionId} order by position`
  t.same(rows.map((r) => r.item_id), seen)
  t.same(rows.map((r) => r.time_taken_ms), [1000, 1001, 1002, 1003, 1004, 1005])
  t.ok(rows.every((r) => Number.isFinite(r.theta_after) && r.se_after > 0), 'every response keeps theta and SE after it')
  t.ok(rows[5]!.se_after < rows[0]!.se_after, 'the SE shrinks')

  const again = await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })
  t.equal(again.json().error.code, 'EXAM_ALREADY_COMPLETED')
  const current = await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${sessionId}/current`, headers: s.student.headers })
  t.same(current.json().result, last.result)
  t.equal(current.json().item, null)

  const events = await ctx.sql<Array<{ type: string, envelope: Record<string, unknown> }>>`select type, envelope from exam.outbox where aggregate_id = ${sessionId} order by id`
  t.same(events.map((e) => e.type), ['exam.session.started', ...Array(6).fill('exam.response.recorded'), 'exam.session.completed'])
  for (const e of events) {
    t.same(contractFor(e.type, 1)!.check(e.envelope), [], `${e.type} keeps its contract`)
    const text = JSON.stringify(e.envelope)
    t.notMatch(text, /optionIndex|correctIndex|"options"/, `${e.type} carries no key and no chosen option`)
  }
  t.match(events[7]!.envelope, { data: { sessionId, examId, studentId: s.student.userId, reason: 'max-items', itemsAnswered: 6, correctCount: 3 } })
  const jsm = await jetstreamManager(ctx.nc)
  const written = (await ctx.sql`select count(*)::int as n from exam.outbox`)[0]!.n as number
  t.ok(written > 8, 'the items and the assignment wrote their events too')
  await waitFor(async () => (await jsm.streams.info(streamFor(ctx.prefix, 'exam.session.started'))).state.messages === written, { what: 'the events on JetStream' })
  // The relay marks rows published in the transaction that claimed them, which commits just after the last
  // publish is acknowledged: the stream can hold every event a moment before the outbox says so.
  await waitFor(async () => (await ctx.sql`select count(*)::int as n from exam.outbox where published_at is null`)[0]!.n === 0, { what: 'every outbox row marked published' })
  t.equal((await jsm.streams.info(streamFor(ctx.prefix, 'exam.session.started'))).state.messages, written, 'each event on JetStream once')

  const asTeacher = await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${sessionId}`, headers: s.teacher.headers })
  t.equal(asTeacher.json().responses.length, 6, 'a teacher sees every response')
  const asStudent = await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${sessionId}`, headers: s.student.headers })
  t.equal(asStudent.json().responses, undefined, 'the student sees the result, not the scored responses')
})

t.test('a fixed form gives its items in order and ends after the last', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx)
  const form = [s.itemIds[5]!, s.itemIds[1]!, s.itemIds[9]!]
  const examId = await createExam(ctx, s.teacher.headers, { title: 'Quiz', kind: 'fixed', itemIds: form, estimator: 'MAP' })
  await assign(ctx, s.teacher.headers, examId, s.classroomId)
  let step = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })).json()
  const sessionId = step.session.id as string
  const order: string[] = []
  while (step.item !== null) {
    order.push(step.item.id)
    step = (await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers: s.student.headers, payload: { itemId: step.item.id, optionIndex: await keyOf(ctx, step.item.id) } })).json()
  }
  t.same(order, form)
  t.match(step, { session: { status: 'completed', stopReason: 'all-items' }, result: { itemsAnswered: 3, correctCount: 3 } })
})

t.test('an answer sent again gets the same outcome, another option for it is 409, and an answer costs one statement', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx)
  const examId = await createExam(ctx, s.teacher.headers, { title: 'Retry', kind: 'adaptive', subject: 'math', stopping: { maxItems: 5 } })
  await assign(ctx, s.teacher.headers, examId, s.classroomId)
  const start = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })).json()
  const sessionId = start.session.id as string
  const url = `/exam/sessions/${sessionId}/answers`
  const payload = { itemId: start.item.id, optionIndex: 0 }

  const before = ctx.app.database.queryCount()
  const first = await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload })
  t.equal(first.statusCode, 200)
  t.equal(ctx.app.database.queryCount() - before, 1, 'one statement per answer')

  const beforeRetry = ctx.app.database.queryCount()
  const retry = await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload })
  t.equal(retry.statusCode, 200)
  t.same(retry.json(), first.json(), 'the same outcome')
  t.equal(ctx.app.database.queryCount() - beforeRetry, 0, 'a retry reads nothing')
  const changed = await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload: { ...payload, optionIndex: 1 } })
  t.equal(changed.statusCode, 409)
  t.equal(changed.json().error.code, 'EXAM_ANSWER_CONFLICT')
  t.equal((await ctx.sql`select count(*)::int as n from exam.responses`)[0]!.n, 1)

  const next = first.json().item
  const wrongItem = await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload: { itemId: s.itemIds.find((id) => id !== next.id && id !== payload.itemId), optionIndex: 0 } })
  t.equal(wrongItem.json().error.code, 'EXAM_NOT_CURRENT_ITEM')
  const outOfRange = await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload: { itemId: next.id, optionIndex: 5 } })
  t.equal(outOfRange.json().error.code, 'EXAM_OPTION_OUT_OF_RANGE')

  // Another replica (or a restart): nothing in memory; the session is read again and goes on.
  ctx.app.examDeps.sessions.delete(sessionId)
  const resumed = await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload: { itemId: next.id, optionIndex: 1 } })
  t.equal(resumed.statusCode, 200, resumed.body)
  t.equal(resumed.json().answer.position, 1)
  const olderRetry = await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload })
  t.same(olderRetry.json().item, first.json().item, 'an older answer sent again still names the item that followed it')

  const concurrent = resumed.json().item
  const results = await Promise.all([0, 1, 2].map(async () => await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload: { itemId: concurrent.id, optionIndex: 2 } })))
  t.same(results.map((r) => r.statusCode), [200, 200, 200], 'concurrent copies of one answer all succeed')
  t.equal((await ctx.sql`select count(*)::int as n from exam.responses where item_id = ${concurrent.id}`)[0]!.n, 1, 'and it is recorded once')
  t.equal((await ctx.sql`select count(*)::int as n from exam.outbox where type = 'exam.response.recorded'`)[0]!.n, 3)
})

t.test('a session resumes where it was, and the server ends it when its time is up', async (t) => {
  let clock = Date.parse('2026-03-02T09:00:00Z')
  const ctx = await buildExam(t, {}, { now: () => new Date(clock) })
  const s = await school(ctx)
  const examId = await createExam(ctx, s.teacher.headers, { title: 'Timed', kind: 'adaptive', subject: 'math', stopping: { maxItems: 10, timeLimitSeconds: 600 } })
  await assign(ctx, s.teacher.headers, examId, s.classroomId)
  const start = await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })
  t.equal(start.json().session.deadlineAt, '2026-03-02T09:10:00.000Z')
  const sessionId = start.json().session.id as string
  clock += 30_000
  const answered = (await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers: s.student.headers, payload: { itemId: start.json().item.id, optionIndex: 0 } })).json()

  const resumed = await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })
  t.equal(resumed.statusCode, 200, 'resumed, not started again')
  t.same(resumed.json().item, answered.item)
  t.equal(resumed.json().session.id, sessionId)
  const current = await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${sessionId}/current`, headers: s.student.headers })
  t.same(current.json().item, answered.item)

  clock += 600_000
  const late = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers: s.student.headers, payload: { itemId: answered.item.id, optionIndex: 0 } })
  t.equal(late.statusCode, 409)
  t.equal(late.json().error.code, 'EXAM_SESSION_TIME_UP')
  const ended = await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${sessionId}/current`, headers: s.student.headers })
  t.match(ended.json(), { item: null, session: { status: 'completed', stopReason: 'time-limit', completedAt: '2026-03-02T09:10:30.000Z' }, result: { itemsAnswered: 1 } })
  t.equal((await ctx.sql`select count(*)::int as n from exam.responses`)[0]!.n, 1, 'the late answer was not recorded')
  const completed = await ctx.sql`select envelope from exam.outbox where type = 'exam.session.completed'`
  t.equal(completed.length, 1)
  t.match(completed[0]!.envelope, { data: { reason: 'time-limit', itemsAnswered: 1 } })
  const after = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers: s.student.headers, payload: { itemId: answered.item.id, optionIndex: 0 } })
  t.equal(after.json().error.code, 'EXAM_SESSION_COMPLETED')
})

t.test('a session left open past its time is ended by the expiry job, once, with its result and event', async (t) => {
  let clock = Date.parse('2026-03-02T09:00:00Z')
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: () => new Date(clock) })
  const s = await school(ctx, { students: 2 })
  const examId = await createExam(ctx, s.teacher.headers, { title: 'Timed', kind: 'fixed', itemIds: s.itemIds.slice(0, 5), stopping: { timeLimitSeconds: 60 } })
  await assign(ctx, s.teacher.headers, examId, s.classroomId)
  const left = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.students[0]!.headers })).json()
  await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${left.session.id as string}/answers`, headers: s.students[0]!.headers, payload: { itemId: left.item.id, optionIndex: await keyOf(ctx, left.item.id) } })
  clock += 30_000
  const onTime = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.students[1]!.headers })).json()
  clock += 31_000
  const job = ctx.app.sessionExpiry()!
  t.equal(await job.runOnce(), 1, 'only the session past its deadline')
  t.equal(await job.runOnce(), 0, 'and only once')
  const [row] = await ctx.sql`select status, stop_reason, result from exam.sessions where id = ${left.session.id}`
  t.match(row, { status: 'completed', stop_reason: 'time-limit', result: { itemsAnswered: 1, correctCount: 1 } })
  t.equal((await ctx.sql`select status from exam.sessions where id = ${onTime.session.id}`)[0]!.status, 'in_progress')
  t.equal((await ctx.sql`select count(*)::int as n from exam.outbox where type = 'exam.session.completed'`)[0]!.n, 1)
})
