// An adaptive exam over a mixed bank (issue 19): right/wrong items, partial-credit and rating items under
// polytomous models, two passages and enemy pairs. Every session gives a passage's items one after the other
// in the passage's order, never two enemies, scores each answer by its type, and moves θ with the categories.
import t from 'tap'
import { buildExam, importBank, school, type ExamContext } from '../../helper.js'

type Headers = Record<string, string>

/** 24 right/wrong items over difficulty, 4 rating and 4 partial-credit items, two passages of three, three enemy pairs. */
function mixedBank (): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [
    { kind: 'passage', ref: 'pa', stimulus: 'Passage A' },
    { kind: 'passage', ref: 'pb', stimulus: 'Passage B' }
  ]
  for (let i = 0; i < 24; i++) {
    const enemies = i % 8 === 1 ? [`d${i - 1}`] : []
    lines.push({ ref: `d${i}`, stem: `Q${i}?`, options: ['a', 'b', 'c'], correctIndex: i % 3, subject: 'math', a: 1 + (i % 4) / 4, b: -2.5 + (5 * i) / 23, status: 'active', ...(enemies.length > 0 ? { enemies } : {}) })
  }
  for (let i = 0; i < 4; i++) {
    lines.push({ ref: `r${i}`, type: 'rating', stem: `R${i}`, options: ['0', '1', '2', '3'], subject: 'math', irt: { model: 'GRM', a: 1.8, b: [-1.5 + i / 2, -0.5 + i / 2, 0.5 + i / 2] }, status: 'active' })
    lines.push({ ref: `m${i}`, type: 'multiple', stem: `M${i}`, options: ['w', 'x', 'y', 'z'], correctIndices: [0, 1, 2], subject: 'math', irt: { model: 'GPCM', a: 1.6, delta: [-1 + i / 3, i / 3, 1 + i / 3] }, status: 'active' })
  }
  for (const p of ['pa', 'pb']) {
    for (let k = 0; k < 3; k++) lines.push({ ref: `${p}${k}`, stem: `${p} question ${k}`, options: ['yes', 'no'], correctIndex: 0, subject: 'math', a: 2.5, b: p === 'pa' ? -0.2 + k / 10 : 0.3 + k / 10, passage: p, status: 'active' })
  }
  return lines
}

async function refs (ctx: ExamContext, organizationId: string): Promise<Map<string, string>> {
  const rows = await ctx.sql<Array<{ id: string, ref: string }>>`select id, ref from exam.items where organization_id = ${organizationId}`
  return new Map(rows.map((r) => [r.id, r.ref]))
}

/** An answer of the item's type: right for even positions, a middling or wrong one for odd. */
function answerFor (item: { id: string, type: string, options: string[] }, position: number, key: Record<string, unknown>): Record<string, unknown> {
  const good = position % 2 === 0
  switch (item.type) {
    case 'rating': return { optionIndex: good ? 3 : 1 }
    case 'multiple': return { choices: good ? [0, 1, 2] : [0, 3] }
    default: return { optionIndex: good ? key.correct_index as number : ((key.correct_index as number) + 1) % item.options.length }
  }
}

t.test('an adaptive exam over a mixed bank keeps passages together and in order, never gives two enemies, and scores each type', async (t) => {
  // Fixed session seeds (the students start one after another): the same item choices on every run.
  let seed = 1000
  const ctx = await buildExam(t, {}, { newSeed: () => seed++ })
  const s = await school(ctx, { students: 4, items: [] as Array<Record<string, unknown>> })
  await importBank(ctx, s.teacher.headers, mixedBank())
  const refOf = await refs(ctx, s.organizationId)
  t.equal(refOf.size, 38)
  const created = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'Mixed', kind: 'adaptive', subject: 'math', randomesque: 3, stopping: { minItems: 18, maxItems: 18 } } })
  t.equal(created.statusCode, 201, created.body)
  const examId = created.json().id as string
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${examId}/classrooms/${s.classroomId}`, headers: s.teacher.headers })).statusCode, 204)

  const passagesSeen = new Set<string>()
  const typesSeen = new Set<string>()
  for (const student of s.students) {
    const headers: Headers = student.headers
    const started = await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers })
    t.equal(started.statusCode, 201, started.body)
    const sessionId = started.json().session.id as string
    let item = started.json().item
    const given: string[] = []
    while (item !== null) {
      given.push(refOf.get(item.id)!)
      typesSeen.add(item.type)
      const [key] = await ctx.sql`select correct_index from exam.items where id = ${item.id}`
      const res = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${sessionId}/answers`, headers, payload: { itemId: item.id, ...answerFor(item, given.length - 1, key!) } })
      t.equal(res.statusCode, 200, res.body)
      item = res.json().item
    }
    t.equal(given.length, 18, 'the exam\'s length')
    for (const p of ['pa', 'pb']) {
      const at = given.flatMap((r, i) => (r.startsWith(p) ? [i] : []))
      if (at.length === 0) continue
      passagesSeen.add(p)
      t.same(at.map((i) => given[i]), [`${p}0`, `${p}1`, `${p}2`], `${p}: all three, in order`)
      t.equal(at[2]! - at[0]!, 2, `${p}: one after the other`)
    }
    for (let i = 0; i < 24; i += 8) t.notOk(given.includes(`d${i}`) && given.includes(`d${i + 1}`), `d${i} and d${i + 1} are enemies`)
    const rows = await ctx.sql<Array<{ item_id: string, score: number, max_score: number }>>`select item_id, score, max_score from exam.responses where session_id = ${sessionId} order by position`
    for (const [i, r] of rows.entries()) {
      const ref = refOf.get(r.item_id)!
      const good = i % 2 === 0
      const expected = ref.startsWith('r') ? [good ? 3 : 1, 3] : ref.startsWith('m') ? [good ? 3 : 0, 3] : [good ? 1 : 0, 1]
      t.same([r.score, r.max_score], expected, `${ref} at ${i}`)
    }
  }
  t.ok(passagesSeen.size > 0, `a passage was given (${[...passagesSeen].join(', ')})`)
  t.ok(typesSeen.has('rating') || typesSeen.has('multiple'), `a polytomous item was given (${[...typesSeen].join(', ')})`)
})

t.test('a high rating moves θ up and a low one down, as the model says', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { students: 2, items: [] as Array<Record<string, unknown>> })
  await importBank(ctx, s.teacher.headers, [
    { ref: 'r0', type: 'rating', stem: 'R', options: ['0', '1', '2', '3'], subject: 'math', irt: { model: 'GRM', a: 1.5, b: [-1, 0, 1] }, status: 'active' }
  ])
  const created = await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: s.teacher.headers, payload: { title: 'One', kind: 'adaptive', subject: 'math', stopping: { minItems: 1, maxItems: 1 } } })
  const examId = created.json().id as string
  await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${examId}/classrooms/${s.classroomId}`, headers: s.teacher.headers })
  const thetas: number[] = []
  for (const [i, student] of s.students.entries()) {
    const started = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${examId}/sessions`, headers: student.headers })).json()
    const res = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${started.session.id as string}/answers`, headers: student.headers, payload: { itemId: started.item.id, optionIndex: i === 0 ? 3 : 0 } })
    thetas.push(res.json().result.theta)
  }
  // The posterior mean under a N(0, 1) prior, integrated finely here for this one GRM item: P(X = 3) = P*(θ; b3)
  // and P(X = 0) = 1 - P*(θ; b1), with P*(θ; b) = 1 / (1 + exp(-1.5 (θ - b))). The service's EAP sums catR's
  // 33-point grid over [-4, 4], which is within 1e-3 of the integral here.
  const star = (theta: number, b: number): number => 1 / (1 + Math.exp(-1.5 * (theta - b)))
  const eap = (likelihood: (theta: number) => number): number => {
    let num = 0
    let den = 0
    for (let k = 0; k <= 12_000; k++) {
      const theta = -6 + k / 1000
      const w = likelihood(theta) * Math.exp(-theta * theta / 2)
      num += theta * w
      den += w
    }
    return num / den
  }
  const top = eap((theta) => star(theta, 1))
  const bottom = eap((theta) => 1 - star(theta, -1))
  t.ok(top > 0.5 && Math.abs(bottom + top) < 1e-12, `the two are mirror images (${top}, ${bottom})`)
  t.ok(Math.abs(thetas[0]! - top) < 1e-3, `top category: ${thetas[0]!} vs ${top}`)
  t.ok(Math.abs(thetas[1]! - bottom) < 1e-3, `bottom category: ${thetas[1]!} vs ${bottom}`)
})
