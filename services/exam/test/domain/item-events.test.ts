import t from 'tap'
import { analyticsItemPromotedV1, contractFor, newEnvelope, newEventId } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildExam, importBank, newItem, school } from '../helper.js'

type Row = { type: string, aggregate_id: string, envelope: { data: Record<string, unknown> } }

t.test('every item change writes exam.item.changed with the whole state and no stem, options or key', async (t) => {
  const ctx = await buildExam(t)
  const org = newEventId()
  const teacher = await ctx.as('teacher', org)
  const created = (await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: teacher.headers, payload: newItem({ a: 1.3, b: 0.4, c: 0.2, status: 'pretest', topics: ['fractions'] }) })).json()
  await ctx.app.inject({ method: 'PATCH', url: `/exam/items/${created.id as string}`, headers: teacher.headers, payload: { status: 'retired' } })
  const imported = await importBank(ctx, teacher.headers, [newItem({ b: -1 }), newItem({ b: 1, status: 'active' })])

  const rows = await ctx.sql<Row[]>`select type, aggregate_id, envelope from exam.outbox where type = 'exam.item.changed' order by id`
  t.equal(rows.length, 4, 'create, edit and two imported items')
  for (const row of rows) {
    t.same(contractFor('exam.item.changed', 1)!.check(row.envelope), [], 'keeps its contract')
    t.notMatch(JSON.stringify(row.envelope), /What is|correctIndex|"options"|"stem"/, 'no stem, options or key')
  }
  t.match(rows[0]!.envelope.data, { itemId: created.id, organizationId: org, status: 'pretest', a: 1.3, b: 0.4, c: 0.2, d: 1, topics: ['fractions'], subject: 'math' })
  t.match(rows[1]!.envelope.data, { itemId: created.id, status: 'retired', a: 1.3 })
  t.same(rows.slice(2).map((r) => r.aggregate_id), imported, 'one event per imported item, keyed by the item')
  t.same(rows.slice(2).map((r) => [r.envelope.data.b, r.envelope.data.status]), [[-1, 'draft'], [1, 'active']])

  const rejected = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, 'content-type': 'application/x-ndjson' }, payload: `${JSON.stringify(newItem())}\n{"stem":1}` })
  t.equal(rejected.json().error.code, 'EXAM_IMPORT_REJECTED')
  t.equal((await ctx.sql`select count(*)::int as n from exam.outbox where type = 'exam.item.changed'`)[0]!.n, 4, 'a rejected import writes no event')
})

t.test('assigning and withdrawing an exam write exam.assignment.changed once each', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx)
  const exam = (await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'Algebra check', kind: 'adaptive', subject: 'math', stopping: { maxItems: 3 } } })).json()
  const url = `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`
  for (const method of ['PUT', 'PUT', 'DELETE', 'DELETE'] as const) t.equal((await ctx.app.inject({ method, url, headers: s.teacher.headers })).statusCode, 204)
  const rows = await ctx.sql<Row[]>`select type, aggregate_id, envelope from exam.outbox where type = 'exam.assignment.changed' order by id`
  t.same(rows.map((r) => r.envelope.data.assigned), [true, false], 'repeats change nothing and write nothing')
  t.match(rows[0]!.envelope.data, { examId: exam.id, classroomId: s.classroomId, organizationId: s.organizationId, title: 'Algebra check', examKind: 'adaptive', subject: 'math', changedBy: s.teacher.userId })
  for (const row of rows) t.same(contractFor('exam.assignment.changed', 1)!.check(row.envelope), [])
})

t.test('a promotion from analytics makes a pretest item active with its new parameters, once', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: [newItem({ status: 'pretest', a: 1, b: 0 }), newItem({ status: 'retired', b: 1 })] })
  const [pretest, retired] = s.itemIds as [string, string]
  const promotion = (itemId: string, organizationId = s.organizationId) => newEnvelope(analyticsItemPromotedV1, {
    itemId, organizationId, a: 1.42, b: -0.73, c: 0.12, seA: 0.1, seB: 0.08, seC: 0.03, sampleSize: 812, promotedBy: s.teacher.userId, promotedAt: new Date().toISOString()
  })
  const first = promotion(pretest)
  await ctx.publish(first)
  await ctx.publish({ ...first, id: first.id })
  await ctx.publish(promotion(retired))
  await ctx.publish(promotion(pretest, newEventId()))
  await waitFor(async () => (await ctx.sql`select count(*)::int as n from exam.inbox where type = 'analytics.item.promoted'`)[0]!.n === 3, { what: 'the promotions applied' })

  const items = await ctx.sql`select id, status, a, b, c, d from exam.items order by status`
  t.match(items.find((i) => i.id === pretest), { status: 'active', a: 1.42, b: -0.73, c: 0.12, d: 1 })
  t.match(items.find((i) => i.id === retired), { status: 'retired', a: 1, b: 1 }, 'a retired item stays retired')
  const changed = await ctx.sql<Row[]>`select envelope from exam.outbox where type = 'exam.item.changed' and aggregate_id = ${pretest} order by id`
  t.equal(changed.length, 2, 'the import and the promotion, not the duplicate')
  t.match(changed[1]!.envelope.data, { status: 'active', a: 1.42 })

  // The promoted item is served at once: the bank cache was refreshed.
  const exam = (await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'Promoted', kind: 'adaptive', subject: 'math', stopping: { maxItems: 1 } } })).json()
  await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })
  const started = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${exam.id as string}/sessions`, headers: s.student.headers })).json()
  t.equal(started.item.id, pretest, 'the only active item is the promoted one')
})
