import t from 'tap'
import { adaptiveBank, buildExam, school, type ExamContext } from '../helper.js'

type School = Awaited<ReturnType<typeof school>>

/** Starts an adaptive exam and answers option 1 until the end; the stems shown, in order, and the result. */
async function take (ctx: ExamContext, s: School) {
  const exam = (await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'E', kind: 'adaptive', subject: 'math', randomesque: 3, contentTargets: { algebra: 1, geometry: 1 }, stopping: { maxItems: 6 } } })).json()
  await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })
  let step = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${exam.id as string}/sessions`, headers: s.student.headers })).json()
  const shown: string[] = []
  while (step.item !== null && shown.length < 20) {
    shown.push(step.item.stem)
    step = (await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${step.session.id as string}/answers`, headers: s.student.headers, payload: { itemId: step.item.id, optionIndex: 1 } })).json()
  }
  return { shown, result: step.result }
}

const uncachedLoads = async (ctx: ExamContext): Promise<number> =>
  Number(/^exam_bank_uncached_loads_total (\d+)/m.exec((await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })).body)?.[1] ?? NaN)

t.test('the bank in memory holds what choosing and scoring need, not the items\' text, which is read when shown', async (t) => {
  const ctx = await buildExam(t, {}, { newSeed: () => 7 })
  const s = await school(ctx, { items: adaptiveBank(12) })
  const { shown } = await take(ctx, s)
  const bank = await ctx.app.examDeps.bank.get(s.organizationId)
  t.equal(bank.items.size, 12)
  for (const item of bank.items.values()) t.same(Object.keys(item).sort(), ['a', 'b', 'c', 'correctIndex', 'd', 'enemyIds', 'id', 'irt', 'key', 'optionCount', 'passageId', 'passagePosition', 'status', 'subject', 'topics', 'type'], 'no stem, no options')
  const stems = new Set((await ctx.sql<Array<{ stem: string }>>`select stem from exam.items`).map((r) => r.stem))
  t.equal(shown.length, 6)
  t.ok(shown.every((stem) => stems.has(stem)), 'every item shown with its stem as stored')
  t.equal(await ctx.app.examDeps.bank.get(s.organizationId), bank, 'kept: the same bank at the next request')
  t.equal(await uncachedLoads(ctx), 0)
})

t.test('a bank past EXAM_BANK_CACHE_MAX_ITEMS is not kept: every request reads it again and answers exactly as a kept one', async (t) => {
  const items = adaptiveBank(12)
  const capped = await buildExam(t, { EXAM_BANK_CACHE_MAX_ITEMS: '11' }, { newSeed: () => 7 })
  const kept = await buildExam(t, { EXAM_BANK_CACHE_MAX_ITEMS: '12' }, { newSeed: () => 7 })
  const [cappedSchool, keptSchool] = [await school(capped, { items }), await school(kept, { items })]
  const before = await uncachedLoads(capped)
  const [fromPostgres, fromMemory] = [await take(capped, cappedSchool), await take(kept, keptSchool)]
  t.same(fromPostgres, fromMemory, 'the same items shown and the same result')
  t.equal(fromPostgres.shown.length, 6)
  // The exam's creation, the start and each of the six answers needed the bank.
  t.ok(await uncachedLoads(capped) - before >= 8, `${await uncachedLoads(capped) - before} reads of the whole bank, none kept`)
  const bank = capped.app.examDeps.bank
  t.not(await bank.get(cappedSchool.organizationId), await bank.get(cappedSchool.organizationId), 'never the same bank twice')
  t.equal(await uncachedLoads(kept), 0, 'a bank within the cap is read once and kept')
})

t.test('the banks kept stay within EXAM_BANK_CACHE_TOTAL_ITEMS in all, the least recently used dropped first', async (t) => {
  const ctx = await buildExam(t, { EXAM_BANK_CACHE_TOTAL_ITEMS: '20' })
  const [a, b, c] = [await school(ctx, { items: adaptiveBank(12) }), await school(ctx, { items: adaptiveBank(8) }), await school(ctx, { items: adaptiveBank(5) })]
  const banks = ctx.app.examDeps.bank
  const firstA = await banks.get(a.organizationId)
  const firstB = await banks.get(b.organizationId)
  t.equal(await banks.get(a.organizationId), firstA, '12 + 8 items: both kept (and A used last)')
  t.equal(await banks.get(b.organizationId), firstB)
  t.equal(await banks.get(a.organizationId), firstA)
  await banks.get(c.organizationId)
  t.equal(await banks.get(a.organizationId), firstA, '25 items: A, used more recently, is kept')
  t.not(await banks.get(b.organizationId), firstB, 'B, used least recently, was dropped and is read again')
  t.equal(await uncachedLoads(ctx), 0, 'each bank fits alone: none is refused a place')
})
