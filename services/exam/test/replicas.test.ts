// Two exam processes on one database, as in production behind a load balancer with no stickiness: each has
// its own pool and its own caches, and a student's requests land on either.
import t from 'tap'
import type { ExamApp } from '../src/app.js'
import { adaptiveBank, buildExam, importBank, newItem, school, type ExamContext } from './helper.js'

type Headers = Record<string, string>

async function createExam (app: ExamApp, headers: Headers, classroomId: string, body: Record<string, unknown>): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/exam/exams', headers, payload: { title: 'E', ...body } })
  if (res.statusCode !== 201) throw new Error(`exam not created: ${res.body}`)
  const assigned = await app.inject({ method: 'PUT', url: `/exam/exams/${res.json().id as string}/classrooms/${classroomId}`, headers })
  if (assigned.statusCode !== 204) throw new Error(`not assigned: ${assigned.body}`)
  return res.json().id
}

/** The key of an item, read the way only a test may. */
async function keyOf (ctx: ExamContext, itemId: string): Promise<number> {
  return (await ctx.sql`select correct_index from exam.items where id = ${itemId}`)[0]!.correct_index
}

/**
 * Takes an exam with each request sent to the app `route` names: start, then per item a look at the current
 * item (every other item) and the answer. The student answers wrongly at every third position from `offset`,
 * so students with different offsets walk different paths.
 */
async function takeExam (ctx: ExamContext, route: () => ExamApp, headers: Headers, examId: string, offset: number) {
  const codes: number[] = []
  const send = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const res = await route().inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
    codes.push(res.statusCode)
    return res
  }
  let step = (await send('POST', `/exam/exams/${examId}/sessions`)).json()
  const sessionId = step.session.id as string
  const given: string[] = []
  const shown: Array<string | null> = []
  for (let position = 0; step.item !== null && position < 30; position++) {
    given.push(step.item.id)
    if (position % 2 === 0) shown.push((await send('GET', `/exam/sessions/${sessionId}/current`)).json().item?.id ?? null)
    const key = await keyOf(ctx, step.item.id)
    const optionIndex = (position + offset) % 3 === 0 ? (key + 1) % step.item.options.length : key
    const res = await send('POST', `/exam/sessions/${sessionId}/answers`, { itemId: step.item.id, optionIndex })
    if (res.statusCode !== 200) break
    step = res.json()
  }
  return { sessionId, codes, given, shown, last: step }
}

t.test('a student whose requests alternate between two replicas is never refused the item given, and takes the exam one replica gives', async (t) => {
  const ctx = await buildExam(t, {}, { newSeed: () => 20260302 })
  const a = ctx.app
  const b = await ctx.replica()
  const s = await school(ctx, { students: 6 })
  await importBank(ctx, s.teacher.headers, adaptiveBank(8, { status: 'pretest' }))
  const examId = await createExam(a, s.teacher.headers, s.classroomId, {
    kind: 'adaptive', subject: 'math', estimator: 'EAP', randomesque: 3, pretestRate: 0.3, contentTargets: { algebra: 1, geometry: 1 }, stopping: { minItems: 4, maxItems: 8 }
  })
  const responses = async (sessionId: string) => await ctx.sql`select position, item_id, correct, pretest, theta_after, se_after from exam.responses where session_id = ${sessionId} order by position`
  const recorded = async (sessionId: string) => (await ctx.sql`select count(*)::int as n from exam.outbox where type = 'exam.response.recorded' and aggregate_id = ${sessionId}`)[0]!.n

  for (const offset of [0, 1, 2]) {
    let n = 0
    const alternating = await takeExam(ctx, () => (n++ % 2 === 0 ? a : b), s.students[offset]!.headers, examId, offset)
    const single = await takeExam(ctx, () => a, s.students[offset + 3]!.headers, examId, offset)
    t.ok(n >= 6, `student ${offset}: ${n} requests spread over both replicas`)
    t.same(alternating.codes.filter((c) => c >= 300), [], `student ${offset}: no request refused`)
    t.same(alternating.shown, alternating.given.filter((_, i) => i % 2 === 0), `student ${offset}: the current item is the one just given`)
    t.ok(single.given.length >= 4, `student ${offset}: ${single.given.length} items on one replica`)
    t.same(alternating.given, single.given, `student ${offset}: the same items in the same order as on one replica`)
    t.match(alternating.last, { item: null, session: { status: 'completed' } })
    t.same(alternating.last.result, single.last.result, `student ${offset}: the same result (theta ${single.last.result?.theta as number}, SE ${single.last.result?.se as number})`)
    const [both, one] = [await responses(alternating.sessionId), await responses(single.sessionId)]
    t.same(both.map((r) => [r.position, r.item_id, r.correct, r.pretest, r.theta_after, r.se_after]), one.map((r) => [r.position, r.item_id, r.correct, r.pretest, r.theta_after, r.se_after]), `student ${offset}: the same theta and SE after every response`)
    t.equal(both.length, alternating.given.length, `student ${offset}: each response recorded once`)
    t.equal(await recorded(alternating.sessionId), alternating.given.length, `student ${offset}: and announced once`)
  }
})

t.test('items edited and imported through one replica are served by the other on its next request', async (t) => {
  const ctx = await buildExam(t)
  const a = ctx.app
  const b = await ctx.replica()
  const s = await school(ctx, { students: 3 })
  const teacher = s.teacher.headers
  const [i0, i1, x, y, z] = s.itemIds as [string, string, string, string, string]
  const idOf = async (stem: string): Promise<string> => (await ctx.sql`select id from exam.items where stem = ${stem}`)[0]!.id
  const changeThroughA = async (round: number, edited: string, overrides: Record<string, unknown> = {}) => {
    const res = await a.inject({ method: 'PATCH', url: `/exam/items/${edited}`, headers: teacher, payload: { stem: `Edited in round ${round}` } })
    if (res.statusCode !== 200) throw new Error(res.body)
    await importBank(ctx, teacher, Array.from({ length: 25 }, (_, i) => newItem({ stem: `Imported in round ${round}, #${i}`, status: 'active', ...overrides })))
  }
  const answer = async (app: ExamApp, headers: Headers, sessionId: string, itemId: string) =>
    await app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers, payload: { itemId, optionIndex: 0 } })

  // B holds the bank: a student starts an exam there.
  const warm = await createExam(a, teacher, s.classroomId, { kind: 'fixed', itemIds: [i0, i1] })
  t.equal((await b.inject({ method: 'POST', url: `/exam/exams/${warm}/sessions`, headers: s.students[0]!.headers })).statusCode, 201)

  await changeThroughA(1, x)
  const imported1 = await idOf('Imported in round 1, #0')
  const form = await createExam(a, teacher, s.classroomId, { kind: 'fixed', itemIds: [imported1, x, z] })
  const started = await b.inject({ method: 'POST', url: `/exam/exams/${form}/sessions`, headers: s.students[1]!.headers })
  t.equal(started.statusCode, 201, started.body)
  t.match(started.json().item, { id: imported1, stem: 'Imported in round 1, #0' }, 'start on B gives an item just imported through A')
  const sessionId = started.json().session.id as string
  const second = await answer(b, s.students[1]!.headers, sessionId, imported1)
  t.match(second.json().item, { id: x, stem: 'Edited in round 1' }, 'and the item edited through A in its new words')

  await changeThroughA(2, x)
  const current = await b.inject({ method: 'GET', url: `/exam/sessions/${sessionId}/current`, headers: s.students[1]!.headers })
  t.match(current.json().item, { id: x, stem: 'Edited in round 2' }, 'the current item on B in the words just given through A')

  await changeThroughA(3, z)
  const third = await answer(b, s.students[1]!.headers, sessionId, x)
  t.equal(third.statusCode, 200, third.body)
  t.match(third.json().item, { id: z, stem: 'Edited in round 3' }, 'an answer on B, whose session and bank in memory are stale, gives the next item as edited through A')

  const heldAgain = await b.inject({ method: 'GET', url: `/exam/sessions/${sessionId}/current`, headers: s.students[1]!.headers })
  t.match(heldAgain.json().item, { id: z, stem: 'Edited in round 3' }, 'B holds the bank again')
  await changeThroughA(4, y)
  const imported4 = await idOf('Imported in round 4, #0')
  const newForm = await createExam(a, teacher, s.classroomId, { kind: 'fixed', itemIds: [imported4, y] })
  const onA = (await a.inject({ method: 'POST', url: `/exam/exams/${newForm}/sessions`, headers: s.students[2]!.headers })).json()
  t.equal(onA.item.id, imported4)
  const onB = await answer(b, s.students[2]!.headers, onA.session.id, imported4)
  t.equal(onB.statusCode, 200, onB.body)
  t.match(onB.json(), { answer: { itemId: imported4, position: 0 }, item: { id: y, stem: 'Edited in round 4' } }, 'B takes an answer to an item it had not loaded')

  await changeThroughA(5, i1, { subject: 'physics' })
  const physics = await b.inject({ method: 'POST', url: '/exam/exams', headers: teacher, payload: { title: 'Physics', kind: 'adaptive', subject: 'physics', stopping: { maxItems: 5 } } })
  t.equal(physics.statusCode, 201, `an exam over items imported through A is created on B: ${physics.body}`)
  t.equal((await ctx.sql`select count(*)::int as n from exam.responses`)[0]!.n, 3, 'each answer recorded once')
})

/** A timed fixed exam and a session of it per student, started on `app` now. */
async function timedSessions (ctx: ExamContext, app: ExamApp, s: Awaited<ReturnType<typeof school>>, students: Array<{ headers: Headers }>): Promise<string[]> {
  const examId = await createExam(app, s.teacher.headers, s.classroomId, { kind: 'fixed', itemIds: s.itemIds.slice(0, 5), stopping: { timeLimitSeconds: 60 } })
  const ids: string[] = []
  for (const [i, student] of students.entries()) {
    const started = (await app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: student.headers })).json()
    if (i % 2 === 0) await app.inject({ method: 'POST', url: `/exam/sessions/${started.session.id as string}/answers`, headers: student.headers, payload: { itemId: started.item.id, optionIndex: await keyOf(ctx, started.item.id) } })
    ids.push(started.session.id)
  }
  return ids
}

const completedEvents = async (ctx: ExamContext) => await ctx.sql<Array<{ aggregate_id: string, n: number }>>`
  select aggregate_id, count(*)::int as n from exam.outbox where type = 'exam.session.completed' group by aggregate_id order by aggregate_id`

t.test('two replicas expiring at once end each due session once, each the sessions it claimed', async (t) => {
  let clock = Date.parse('2026-03-02T09:00:00Z')
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600', EXAM_EXPIRY_BATCH: '7' }, { now: () => new Date(clock) })
  // B's clock runs a second ahead, so a session's completed_at says which replica ended it.
  const b = await ctx.replica({ now: () => new Date(clock + 1000) })
  const s = await school(ctx, { students: 30 })
  const ids = await timedSessions(ctx, ctx.app, s, s.students)
  clock += 120_000
  const [byA, byB] = await Promise.all([ctx.app.sessionExpiry()!.runOnce(), b.sessionExpiry()!.runOnce()])
  t.equal(byA + byB, 30, `every session counted once (${byA} by A, ${byB} by B)`)
  const ended = await ctx.sql<Array<{ id: string, completed_at: Date }>>`select id, completed_at from exam.sessions where status = 'completed' and stop_reason = 'time-limit' order by id`
  t.same(ended.map((r) => r.id), [...ids].sort(), 'every due session ended')
  t.equal(ended.filter((r) => r.completed_at.getTime() === clock).length, byA, 'A ended as many as it says')
  t.equal(ended.filter((r) => r.completed_at.getTime() === clock + 1000).length, byB, 'B ended as many as it says')
  t.same(await completedEvents(ctx), [...ids].sort().map((id) => ({ aggregate_id: id, n: 1 })), 'one completed event per session')
})

t.test('a replica skips the sessions another is ending instead of waiting for them', { timeout: 60_000 }, async (t) => {
  let clock = Date.parse('2026-03-02T09:00:00Z')
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: () => new Date(clock) })
  const b = await ctx.replica()
  const s = await school(ctx, { students: 4 })
  const ids = await timedSessions(ctx, ctx.app, s, s.students)
  clock += 120_000
  const held = ids.slice(0, 2)
  await ctx.sql.begin(async (tx) => {
    // What another replica's claim does: lock the due rows it is ending, until it commits.
    await tx`select id from exam.sessions where id in ${tx(held)} for update`
    t.equal(await b.sessionExpiry()!.runOnce(), 2, 'B ends the two sessions nobody holds')
    const open = await ctx.sql`select id from exam.sessions where status = 'in_progress' order by id`
    t.same(open.map((r) => r.id), [...held].sort(), 'and leaves the held ones')
  })
  t.equal(await ctx.app.sessionExpiry()!.runOnce(), 2, 'the held ones are ended once released')
  t.same(await completedEvents(ctx), [...ids].sort().map((id) => ({ aggregate_id: id, n: 1 })), 'one completed event per session')
})

t.test('ending 25 due sessions costs the same statements as ending 1', async (t) => {
  let clock = Date.parse('2026-03-02T09:00:00Z')
  const ctx = await buildExam(t, { EXAM_EXPIRY_INTERVAL_S: '3600' }, { now: () => new Date(clock) })
  const s = await school(ctx, { students: 26 })
  await timedSessions(ctx, ctx.app, s, s.students.slice(0, 1))
  clock += 100_000
  await timedSessions(ctx, ctx.app, s, s.students.slice(1))
  const job = ctx.app.sessionExpiry()!
  const statements = async (expected: number) => {
    const before = ctx.app.database.queryCount()
    t.equal(await job.runOnce(), expected)
    return ctx.app.database.queryCount() - before
  }
  clock += 30_000
  const one = await statements(1)
  clock += 100_000
  const many = await statements(25)
  t.equal(many, one, `${one} statements for 1 session and ${many} for 25`)
})
