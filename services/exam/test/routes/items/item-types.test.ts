// Items of every type through the API (issue 19): created and refused by their type's rules, imported with a
// passage and enemies, given in a fixed form with the passage's items together and in order, and answered in
// each type's field, scored by its rule, idempotently.
import t from 'tap'
import { buildExam, importBank, school, type ExamContext } from '../../helper.js'
import { everyType } from './every-type.js'

type Headers = Record<string, string>

const post = async (ctx: ExamContext, url: string, headers: Headers, payload: unknown) => await ctx.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })

async function idsByRef (ctx: ExamContext, organizationId: string): Promise<Record<string, string>> {
  const rows = await ctx.sql<Array<{ id: string, ref: string }>>`select id, ref from exam.items where organization_id = ${organizationId}`
  return Object.fromEntries(rows.map((r) => [r.ref, r.id]))
}

t.test('each item type is created with its own fields, and refused with the rule it breaks', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  const created = await post(ctx, '/exam/items', s.teacher.headers, { type: 'numeric', stem: 'Pi?', numeric: { value: 3.14, tolerance: 0.01 }, subject: 'math', b: 0 })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { type: 'numeric', options: [], correctIndex: null, key: { value: 3.14, tolerance: 0.01 }, irt: null, enemyIds: [], passageId: null })
  const rating = await post(ctx, '/exam/items', s.teacher.headers, { type: 'rating', stem: 'I like it.', options: ['no', 'maybe', 'yes'], subject: 'math', irt: { model: 'PCM', delta: [-0.4, 0.6] } })
  t.equal(rating.statusCode, 201, rating.body)
  t.match(rating.json(), { type: 'rating', key: null, correctIndex: null, irt: { model: 'PCM', delta: [-0.4, 0.6] }, a: 1, c: 0, d: 1 })
  t.ok(Math.abs(rating.json().b - 0.1) < 1e-12, 'a and b summarise a polytomous item: b its mean step')

  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['multiple without its key', { type: 'multiple', options: ['a', 'b'], b: 0 }, 'correctIndices', 'is required for a multiple item'],
    ['numeric with options', { type: 'numeric', numeric: { value: 1 }, options: ['a', 'b'], b: 0 }, 'options', 'is not a field of a numeric item'],
    ['text without answers', { type: 'text', b: 0 }, 'accepted', 'is required for a text item'],
    ['a key beyond the options', { type: 'multiple', options: ['a', 'b'], correctIndices: [0, 2], b: 0, scoring: 'all-or-nothing' }, 'correctIndices.1', 'must point at one of the 2 options'],
    ['partial credit with no model', { type: 'multiple', options: ['a', 'b', 'c'], correctIndices: [0, 1], b: 0 }, 'irt', 'is required: this item scores into 3 categories'],
    ['a rating with too few thresholds', { type: 'rating', options: ['a', 'b', 'c', 'd'], irt: { model: 'GRM', a: 1, b: [-1, 1] } }, 'irt', 'has 2 thresholds; this item scores into 4 categories'],
    ['GRM thresholds out of order', { type: 'rating', options: ['a', 'b', 'c'], irt: { model: 'GRM', a: 1, b: [1, -1] } }, 'irt', 'strictly increasing'],
    ['a polytomous item with b', { type: 'rating', options: ['a', 'b'], irt: { model: 'PCM', delta: [0] }, b: 0 }, 'b', 'is not a field of a polytomous item'],
    ['a right/wrong item without b', { type: 'text', accepted: ['x'] }, 'b', 'is required'],
    ['a passage that does not exist', { options: ['a', 'b'], correctIndex: 0, b: 0, passage: 'nowhere' }, 'passage', 'is not a passage of your organization'],
    ['an enemy that does not exist', { options: ['a', 'b'], correctIndex: 0, b: 0, enemies: ['nobody'] }, 'enemies.0', 'is not an item of your organization']
  ]
  for (const [name, fields, path, message] of cases) {
    const res = await post(ctx, '/exam/items', s.teacher.headers, { stem: 'Q?', subject: 'math', ...fields })
    t.equal(res.statusCode, 400, `${name}: ${res.body}`)
    const details = res.json().error.details as Array<{ path: string, message: string }>
    t.ok(details.some((d) => d.path === path && d.message.includes(message)), `${name}: ${JSON.stringify(details)}`)
  }
  t.equal((await ctx.sql`select count(*)::int as n from exam.items where organization_id = ${s.organizationId}`)[0]!.n, 2, 'nothing refused was written')
  const repeated = await post(ctx, '/exam/items', s.teacher.headers, { ref: 'dup', stem: 'Q?', options: ['a', 'b'], correctIndex: 0, subject: 'math', b: 0 })
  t.equal(repeated.statusCode, 201)
  const again = await post(ctx, '/exam/items', s.teacher.headers, { ref: 'dup', stem: 'Q2?', options: ['a', 'b'], correctIndex: 0, subject: 'math', b: 0 })
  t.equal(again.statusCode, 409)
  t.equal(again.json().error.code, 'EXAM_REF_TAKEN')
})

t.test('a fixed form of every type: passage items together and in order, each answer scored by its type, retries idempotent', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  await importBank(ctx, s.teacher.headers, everyType)
  const id = await idsByRef(ctx, s.organizationId)
  const enemies = await ctx.sql<Array<{ ref: string, enemy_ids: string[] }>>`select ref, enemy_ids from exam.items where ref in ('e1', 'e2') order by ref`
  t.same(enemies.map((r) => r.enemy_ids), [[id.e2], [id.e1]], 'an enemy declared on one item is kept on both')

  const withEnemies = await post(ctx, '/exam/exams', s.teacher.headers, { title: 'Both', kind: 'fixed', itemIds: [id.e1, id.s1, id.e2] })
  t.equal(withEnemies.statusCode, 400)
  t.match(withEnemies.json().error.details, [{ path: 'itemIds.2', message: /enemy of itemIds.0/ }])

  const form = ['s1', 'q2', 'm1', 'q1', 'm2', 'n1', 't1', 'r1'].map((r) => id[r]!)
  const exam = await post(ctx, '/exam/exams', s.teacher.headers, { title: 'Every type', kind: 'fixed', itemIds: form })
  t.equal(exam.statusCode, 201, exam.body)
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.json().id as string}/classrooms/${s.classroomId}`, headers: s.teacher.headers })).statusCode, 204)
  const started = await post(ctx, `/exam/exams/${exam.json().id as string}/sessions`, s.student.headers, {})
  t.equal(started.statusCode, 201, started.body)
  const sessionId = started.json().session.id as string
  const answers: Record<string, Record<string, unknown>> = {
    s1: { optionIndex: 1 },
    q1: { optionIndex: 1 },
    q2: { value: 300 },
    m1: { choices: [2, 1, 0] },
    m2: { choices: [0, 1] },
    n1: { value: 3.144 },
    t1: { text: '  PARIS\t' },
    r1: { optionIndex: 2 }
  }
  const refOf = Object.fromEntries(Object.entries(id).map(([r, i]) => [i, r]))
  const order: string[] = []
  let item = started.json().item
  while (item !== null) {
    const ref = refOf[item.id]!
    order.push(ref)
    if (ref === 'q1' || ref === 'q2') t.match(item.passage, { title: 'The river', stimulus: /rises in the hills/ }, `${ref} is shown with its passage`)
    else t.equal(item.passage, null)
    if (ref === 'n1') {
      t.same([item.type, item.options], ['numeric', []])
      const wrongField = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, optionIndex: 0 })
      t.equal(wrongField.statusCode, 400)
      t.equal(wrongField.json().error.code, 'EXAM_ANSWER_WRONG_TYPE')
      t.match(wrongField.json().error.message, /answered with value/)
      const notANumber = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, value: 'three' })
      t.equal(notANumber.statusCode, 400)
      t.equal(notANumber.json().error.code, 'VALIDATION_FAILED')
    }
    if (ref === 'm1') {
      const repeated = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, choices: [1, 1] })
      t.equal(repeated.statusCode, 400, 'an option chosen twice')
      const outOfRange = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, choices: [0, 7] })
      t.equal(outOfRange.statusCode, 400)
      t.equal(outOfRange.json().error.code, 'EXAM_OPTION_OUT_OF_RANGE')
      const twoFields = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, choices: [0], optionIndex: 0 })
      t.equal(twoFields.statusCode, 400)
      t.equal(twoFields.json().error.code, 'EXAM_ANSWER_WRONG_TYPE')
    }
    const res = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, ...answers[ref] })
    t.equal(res.statusCode, 200, `${ref}: ${res.body}`)
    if (ref === 'm1') {
      const retry = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, choices: [0, 1, 2] })
      t.equal(retry.statusCode, 200, 'the same choices in another order are the same answer')
      t.same(retry.json().answer, res.json().answer)
      t.same(res.json().answer.choices, [0, 1, 2])
      const changed = await post(ctx, `/exam/sessions/${sessionId}/answers`, s.student.headers, { itemId: item.id, choices: [0, 2] })
      t.equal(changed.statusCode, 409)
      t.equal(changed.json().error.code, 'EXAM_ANSWER_CONFLICT')
    }
    item = res.json().item
  }
  t.same(order, ['s1', 'q1', 'q2', 'm1', 'm2', 'n1', 't1', 'r1'], 'the passage\'s items from where the first is listed, in the passage\'s order')
  const rows = await ctx.sql<Array<{ item_id: string, score: number, max_score: number, correct: boolean, option_index: number | null, answer: unknown }>>`
    select item_id, score, max_score, correct, option_index, answer from exam.responses where session_id = ${sessionId} order by position`
  t.same(rows.map((r) => [refOf[r.item_id], r.score, r.max_score, r.correct]), [
    ['s1', 1, 1, true],
    ['q1', 0, 1, false],
    ['q2', 1, 1, true],
    ['m1', 1, 2, false], // two right, one wrong: 2 - 1
    ['m2', 1, 1, true],
    ['n1', 1, 1, true], // within 0.005 of 3.14
    ['t1', 1, 1, true], // case and white space folded
    ['r1', 2, 3, false] // a rating scores its category
  ])
  t.same(rows.map((r) => r.answer), [null, null, { value: 300 }, { choices: [0, 1, 2] }, { choices: [0, 1] }, { value: 3.144 }, { text: '  PARIS\t' }, null], 'answers kept as given')
  const result = (await ctx.app.inject({ method: 'GET', url: `/exam/sessions/${sessionId}`, headers: s.student.headers })).json().result
  t.same(result.types, [
    { type: 'single', answered: 2, correct: 1, score: 1, maxScore: 2 },
    { type: 'multiple', answered: 2, correct: 1, score: 2, maxScore: 3 },
    { type: 'numeric', answered: 2, correct: 2, score: 2, maxScore: 2 },
    { type: 'text', answered: 1, correct: 1, score: 1, maxScore: 1 },
    { type: 'rating', answered: 1, correct: 0, score: 2, maxScore: 3 }
  ], 'the result breaks the score down by type')
})

t.test('the same items by CSV as by JSON lines', async (t) => {
  const ctx = await buildExam(t)
  const json = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  const csv = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  await importBank(ctx, json.teacher.headers, everyType)
  const header = 'type,ref,title,stimulus,stem,option1,option2,option3,option4,correctIndex,correctIndices,scoring,value,tolerance,accepted,subject,model,a,b,delta,passage,enemies,status'
  const lines = [
    'passage,p1,The river,The river rises in the hills and reaches the sea after 300 km.,,,,,,,,,,,,,,,,,,,',
    'single,s1,,,Two plus two?,3,4,5,,1,,,,,,math,,,-1,,,,active',
    'single,q1,,,Where does the river rise?,hills,sea,,,0,,,,,,math,,,0,,p1,,active',
    'numeric,q2,,,How long is the river (km)?,,,,,,,,300,,,math,,,0.5,,p1,,active',
    'multiple,m1,,,Which are even?,2,3,4,5,,0;2,,,,,math,GPCM,1.1,,-0.5;0.5,,,active',
    'multiple,m2,,,Which are prime?,2,3,4,,,0;1,all-or-nothing,,,,math,,,0.2,,,,active',
    'numeric,n1,,,Pi to two decimals?,,,,,,,,3.14,0.005,,math,,,1,,,,active',
    'text,t1,,,Capital of France?,,,,,,,,,,Paris,math,,,-0.5,,,,active',
    'rating,r1,,,I enjoy maths.,never,sometimes,often,always,,,,,,,math,GRM,1.2,-1;0;1,,,,active',
    'single,e1,,,Three plus three?,6,7,,,0,,,,,,math,,,0,,,,active',
    'single,e2,,,Six minus three?,3,4,,,0,,,,,,math,,,0,,,e1,active'
  ]
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...csv.teacher.headers, 'content-type': 'text/csv' }, payload: [header, ...lines].join('\n') })
  t.equal(res.statusCode, 201, res.body)
  t.same(res.json(), { imported: 10 })
  const content = async (organizationId: string) => {
    const items = await ctx.sql`select i.ref, i.type, i.stem, i.options, i.correct_index, i.key, i.a, i.b, i.c, i.d, i.irt, i.status, p.ref as passage, i.passage_position,
      (select array_agg(e.ref order by e.ref) from exam.items e where e.id = any(i.enemy_ids)) as enemies
      from exam.items i left join exam.passages p on p.id = i.passage_id where i.organization_id = ${organizationId} order by i.ref`
    const passages = await ctx.sql`select ref, title, stimulus from exam.passages where organization_id = ${organizationId}`
    return { items: [...items], passages: [...passages] }
  }
  const fromJson = await content(json.organizationId)
  t.equal(fromJson.items.length, 10)
  t.same(await content(csv.organizationId), fromJson)
})

t.test('an import naming what it does not hold, or repeating a ref, is refused line by line and writes nothing', async (t) => {
  const ctx = await buildExam(t)
  const s = await school(ctx, { items: [] as Array<Record<string, unknown>> })
  await importBank(ctx, s.teacher.headers, [{ ref: 'taken', stem: 'Q?', options: ['a', 'b'], correctIndex: 0, subject: 'math', b: 0 }])
  const lines = [
    { kind: 'passage', ref: 'p1', stimulus: 'Text' },
    { kind: 'passage', ref: 'p1', stimulus: 'Again' },
    { ref: 'taken', stem: 'Q?', options: ['a', 'b'], correctIndex: 0, subject: 'math', b: 0 },
    { ref: 'x', stem: 'Q?', options: ['a', 'b'], correctIndex: 0, subject: 'math', b: 0, passage: 'p9' },
    { ref: 'y', stem: 'Q?', options: ['a', 'b'], correctIndex: 0, subject: 'math', b: 0, enemies: ['zz', 'taken'] },
    { kind: 'passage', ref: 'p2' }
  ]
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...s.teacher.headers, 'content-type': 'application/x-ndjson' }, payload: lines.map((l) => JSON.stringify(l)).join('\n') })
  t.equal(res.statusCode, 400, res.body)
  t.same(res.json().error.details, [
    { path: 'line 2', message: 'ref: repeats the ref of another passage of this import' },
    { path: 'line 3', message: 'ref: another item of your organization has this ref' },
    { path: 'line 4', message: 'passage: is not a passage of your organization' },
    { path: 'line 5', message: 'enemies.0: is not an item of your organization' },
    { path: 'line 6', message: 'passage: must have property "stimulus"' }
  ])
  t.equal((await ctx.sql`select count(*)::int as n from exam.items where organization_id = ${s.organizationId}`)[0]!.n, 1, 'nothing imported')
  t.equal((await ctx.sql`select count(*)::int as n from exam.passages where organization_id = ${s.organizationId}`)[0]!.n, 0)
})
