import t from 'tap'
import { estimateEap } from '@dreamseed/irt'
import { adaptiveBank, buildExam, importBank, school, type ExamContext } from '../../helper.js'

type Headers = Record<string, string>

async function examFor (ctx: ExamContext, s: Awaited<ReturnType<typeof school>>, body: Record<string, unknown>): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'E', ...body } })
  if (res.statusCode !== 201) throw new Error(res.body)
  await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${res.json().id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })
  return res.json().id
}

/** Answers every item (always option 0) until the session ends; returns the items seen and the last answer. */
async function takeExam (ctx: ExamContext, headers: Headers, examId: string) {
  let step = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers })).json()
  const sessionId = step.session.id as string
  const seen: string[] = []
  while (step.item !== null && seen.length < 100) {
    seen.push(step.item.id)
    const res = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers, payload: { itemId: step.item.id, optionIndex: 1 } })
    if (res.statusCode !== 200) throw new Error(res.body)
    step = res.json()
  }
  return { sessionId, seen, last: step }
}

t.test('an adaptive exam stops at its SE target', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: adaptiveBank(60, { a: 2.5 }) })
  const examId = await examFor(ctx, s, { kind: 'adaptive', subject: 'math', estimator: 'MAP', stopping: { minItems: 2, maxItems: 40, seTarget: 0.45 } })
  const { seen, last } = await takeExam(ctx, s.student.headers, examId)
  t.equal(last.session.stopReason, 'se-target')
  t.ok(last.result.se <= 0.45, `SE ${last.result.se as number}`)
  t.ok(seen.length >= 2 && seen.length < 40, `${seen.length} items`)
})

t.test('pretest items are given now and then, recorded, and neither scored nor counted', async (t) => {
  // A fixed session seed: with a random one, 1 session in about 500 draws no pretest item at all (0.5⁹).
  const ctx = await buildExam(t, {}, { newSeed: () => 20261206 })
  const s = await school(ctx)
  const pretestIds = await importBank(ctx, s.teacher.headers, adaptiveBank(10, { status: 'pretest' }))
  const examId = await examFor(ctx, s, { kind: 'adaptive', subject: 'math', pretestRate: 0.5, stopping: { maxItems: 8 } })
  const { sessionId, seen, last } = await takeExam(ctx, s.student.headers, examId)
  const pretest = seen.filter((id) => pretestIds.includes(id))
  t.ok(pretest.length >= 1 && pretest.length <= 4, `${pretest.length} pretest items (at most maxItems × rate)`)
  t.equal(seen.length, 8 + pretest.length, 'the length rule counts scored items only')
  t.equal(last.result.itemsAnswered, 8)
  const rows = await ctx.sql`select item_id, pretest, theta_after, se_after from exam.responses where session_id = ${sessionId} order by position`
  t.same(rows.filter((r) => r.pretest).map((r) => r.item_id), pretest)
  rows.forEach((r, i) => {
    if (r.pretest && i > 0) t.same([r.theta_after, r.se_after], [rows[i - 1]!.theta_after, rows[i - 1]!.se_after], 'a pretest answer leaves the estimate as it was')
  })
  const events = await ctx.sql`select envelope from exam.outbox where type = 'exam.response.recorded'`
  t.equal(events.filter((e) => e.envelope.data.pretest === true).length, pretest.length, 'analytics is told which responses were pretest')
})

t.test('a changed or retired item is seen by the next step, in this replica at once and in others through the bank version', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: adaptiveBank(4) })
  const [a, b, c, d] = s.itemIds as [string, string, string, string]
  const examId = await examFor(ctx, s, { kind: 'fixed', itemIds: [a, b, c, d] })
  let step = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })).json()
  t.equal(step.item.id, a)
  t.equal((await ctx.app.inject({ method: 'PATCH', url: `/exam/items/${b}`, headers: s.teacher.headers, payload: { status: 'retired' } })).statusCode, 200)
  t.equal((await ctx.app.inject({ method: 'PATCH', url: `/exam/items/${c}`, headers: s.teacher.headers, payload: { stem: 'Reworded' } })).statusCode, 200)
  const url = `/exam/sessions/${step.session.id as string}/answers`
  step = (await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload: { itemId: a, optionIndex: 0 } })).json()
  t.equal(step.item.id, c, 'the retired item is skipped')
  t.equal(step.item.stem, 'Reworded', 'and the changed one shows its new text')

  // Another replica retires d: the version moves in the database only. The answer's write, computed with the
  // bank held, does not apply; the answer is worked out again with the bank as it is now.
  await ctx.sql`update exam.items set status = 'retired' where id = ${d}`
  await ctx.sql`update exam.item_bank_versions set version = version + 1`
  const held = await ctx.app.examDeps.bank.get(s.organizationId)
  t.equal(held.items.get(d)!.status, 'active', 'this replica still holds the old bank')
  step = (await ctx.app.inject({ method: 'POST', url, headers: s.student.headers, payload: { itemId: c, optionIndex: 0 } })).json()
  t.match(step, { answer: { itemId: c, position: 1 }, item: null, session: { status: 'completed', stopReason: 'all-items' } }, 'the item retired elsewhere is skipped by that same answer')
  t.equal((await ctx.sql`select count(*)::int as n from exam.responses where session_id = ${step.session.id}`)[0]!.n, 2, 'and the answer recorded once')
  const reloaded = await ctx.app.examDeps.bank.get(s.organizationId)
  t.not(reloaded, held, 'the bank was read again')
  t.equal(reloaded.items.get(d)!.status, 'retired')
})

t.test('EAP estimates kept in memory answer by answer are those of every scored answer estimated afresh, to the bit', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: adaptiveBank(80, { c: 0.15, d: 0.97 }) })
  await importBank(ctx, s.teacher.headers, adaptiveBank(10, { status: 'pretest' }))
  const examId = await examFor(ctx, s, { kind: 'adaptive', subject: 'math', estimator: 'EAP', pretestRate: 0.2, stopping: { maxItems: 40 } })
  let step = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: s.student.headers })).json()
  const sessionId = step.session.id as string
  const statements: number[] = []
  for (let n = 0; step.item !== null && n < 60; n++) {
    const before = ctx.app.database.queryCount()
    // A pattern with runs both ways, so the estimate travels and the grid's maximum moves.
    const payload = { itemId: step.item.id, optionIndex: [0, 1, 1, 0, 2][n % 5] }
    const res = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers: s.student.headers, payload })
    t.equal(res.statusCode, 200, res.body)
    statements.push(ctx.app.database.queryCount() - before)
    step = res.json()
  }
  t.equal(step.session.stopReason, 'max-items')
  t.same(new Set(statements), new Set([1]), 'every answer was worked out from memory (one statement each)')
  const rows = await ctx.sql<Array<{ pretest: boolean, correct: boolean, theta_after: number, se_after: number, a: number, b: number, c: number, d: number }>>`
    select r.pretest, r.correct, r.theta_after, r.se_after, i.a, i.b, i.c, i.d from exam.responses r join exam.items i on i.id = r.item_id
    where r.session_id = ${sessionId} order by r.position`
  const scored = rows.filter((r) => !r.pretest)
  t.equal(scored.length, 40)
  t.ok(rows.length > scored.length, `${rows.length - scored.length} pretest answers among them`)
  const differences: string[] = []
  for (let n = 1; n <= scored.length; n++) {
    const prefix = scored.slice(0, n)
    const afresh = estimateEap(prefix.map(({ a, b, c, d }) => ({ a, b, c, d })), prefix.map((r) => (r.correct ? 1 : 0)))
    const kept = scored[n - 1]!
    if (!Object.is(kept.theta_after, afresh.theta) || !Object.is(kept.se_after, afresh.se)) differences.push(`${n}: ${kept.theta_after}/${kept.se_after} vs ${afresh.theta}/${afresh.se}`)
  }
  t.same(differences, [], 'each scored answer\'s estimate and SE equal the from-scratch EAP of the scored answers up to it')
})
