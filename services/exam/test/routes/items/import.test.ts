import t from 'tap'
import { buildExam, createClassroom, newItem, newOrganization } from '../../helper.js'

const ndjson = { 'content-type': 'application/x-ndjson' }
const csv = { 'content-type': 'text/csv; charset=utf-8' }
const TRICKY_TOPICS = ['a, "b"', '{c}', 'back\\slash', 'NULL']

t.test('JSON lines and CSV import every item in one go', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  const lines = [newItem({ status: 'active' }), newItem({ a: 1.2, c: 0.2, d: 0.95 }), newItem({ topics: [] }), newItem({ topics: TRICKY_TOPICS })].map((i) => JSON.stringify(i)).join('\r\n') + '\n\n'
  const fromJson = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...ndjson }, payload: lines })
  t.equal(fromJson.statusCode, 201, fromJson.body)
  t.same(fromJson.json(), { imported: 4 })
  t.same((await ctx.sql`select topics from exam.items order by id desc limit 1`)[0]!.topics, TRICKY_TOPICS, 'topics are stored as given')

  const table = [
    'stem,option1,option2,option3,correctIndex,subject,topics,a,b,c,status',
    '"Which is larger, 2 or 3?",2,3,,1,math,comparison;numbers,1.5,-0.5,,active',
    '"A stem with ""quotes"", a comma,',
    'and a line break",yes,no,maybe,0,reading,,,1.25,0.2,'
  ].join('\n')
  const fromCsv = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...csv }, payload: table })
  t.equal(fromCsv.statusCode, 201, fromCsv.body)
  t.same(fromCsv.json(), { imported: 2 })
  const rows = await ctx.sql`select stem, options, correct_index, subject, topics, a, b, c, d, status from exam.items where subject <> 'math' or stem like 'Which%' order by id`
  t.match(rows[0], { stem: 'Which is larger, 2 or 3?', options: ['2', '3'], correct_index: 1, topics: ['comparison', 'numbers'], a: 1.5, b: -0.5, c: 0, d: 1, status: 'active' })
  t.match(rows[1], { stem: 'A stem with "quotes", a comma,\nand a line break', options: ['yes', 'no', 'maybe'], correct_index: 0, subject: 'reading', topics: [], a: 1, b: 1.25, c: 0.2, status: 'draft' })
  t.equal((await ctx.sql`select version from exam.item_bank_versions`)[0]?.version, '2', 'each import bumps the bank version once')
})

t.test('an import with bad lines writes nothing and names every bad line and why', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  const lines = [
    JSON.stringify(newItem()),
    '{"stem": "broken',
    JSON.stringify(newItem({ a: 9 })),
    '',
    JSON.stringify(newItem({ options: ['same', 'same'], correctIndex: 0 })),
    JSON.stringify(newItem({ extra: true })),
    JSON.stringify(newItem()),
    '[1, 2]',
    JSON.stringify(newItem({ b: undefined }))
  ].join('\n')
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...ndjson }, payload: lines })
  t.equal(res.statusCode, 400)
  const error = res.json().error
  t.equal(error.code, 'EXAM_IMPORT_REJECTED')
  t.type(error.requestId, 'string')
  t.same([...new Set(error.details.map((d: { path: string }) => d.path))], ['line 2', 'line 3', 'line 5', 'line 6', 'line 8', 'line 9'])
  t.match(error.details.find((d: { path: string }) => d.path === 'line 3').message, /^a: must be/)
  t.match(error.details.find((d: { path: string }) => d.path === 'line 6').message, /extra/)
  t.match(error.details.find((d: { path: string }) => d.path === 'line 9').message, /b/)
  t.match(error.message, /^6 of 8 lines were rejected/)

  const table = ['stem,option1,option2,correctIndex,subject,b', 'ok,1,2,0,math,0', 'bad number,1,2,0,math,one', 'too few,1,2,0', ',1,2,0,math,0', 'gap,1,,0,math,0'].join('\n')
  const fromCsv = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...csv }, payload: table })
  t.equal(fromCsv.statusCode, 400)
  t.same(fromCsv.json().error.details.map((d: { path: string }) => d.path), ['line 3', 'line 4', 'line 5', 'line 6'])
  const badHeader = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...csv }, payload: 'stem,answer\nx,y' })
  t.same(badHeader.json().error.details, [{ path: 'line 1', message: 'unknown column "answer"' }])
  const unclosed = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...csv }, payload: 'stem,option1\n"never closed,1' })
  t.equal(unclosed.json().error.code, 'EXAM_IMPORT_REJECTED')
  t.equal((await ctx.sql`select count(*)::int as n from exam.items`)[0]?.n, 0, 'nothing was written')
})

t.test('the import refuses other content types, empty bodies, too many items and bodies over its limit', async (t) => {
  const ctx = await buildExam(t, { EXAM_IMPORT_BODY_LIMIT_BYTES: '100000', EXAM_IMPORT_MAX_ITEMS: '50' })
  const teacher = await ctx.as('teacher', newOrganization())
  const post = async (headers: Record<string, string>, payload: string) => await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...headers }, payload })
  t.equal((await post({ 'content-type': 'application/json' }, JSON.stringify([newItem()]))).json().error.code, 'UNSUPPORTED_MEDIA_TYPE')
  t.equal((await post({ 'content-type': 'text/plain' }, 'x')).statusCode, 415)
  t.equal((await post(ndjson, '\n\n')).json().error.code, 'EXAM_IMPORT_EMPTY')
  const many = Array.from({ length: 51 }, () => JSON.stringify(newItem())).join('\n')
  t.equal((await post(ndjson, many)).json().error.code, 'EXAM_IMPORT_TOO_MANY_ITEMS')
  const big = await post(ndjson, JSON.stringify(newItem({ stem: 'x'.repeat(9000) })).repeat(12))
  t.equal(big.statusCode, 413)
  t.equal(big.json().error.code, 'PAYLOAD_TOO_LARGE')
  const overServiceLimit = Array.from({ length: 40 }, () => JSON.stringify(newItem({ stem: 'y'.repeat(2000) }))).join('\n')
  t.ok(overServiceLimit.length > 65536, 'larger than the service\'s usual body limit')
  t.equal((await post(ndjson, overServiceLimit)).statusCode, 201, 'but within the import\'s')
  const student = await ctx.as('student', newOrganization())
  t.equal((await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...student.headers, ...ndjson }, payload: JSON.stringify(newItem()) })).statusCode, 403)
})

t.test('10 000 items import in one request', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  const lines = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(newItem({ a: 0.5 + (i % 20) / 10, b: ((i % 121) - 60) / 10, c: (i % 5) / 20, topics: [`topic-${i % 7}`], status: 'active' }))).join('\n')
  const started = performance.now()
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, ...ndjson }, payload: lines })
  const ms = performance.now() - started
  t.equal(res.statusCode, 201, res.body.slice(0, 500))
  t.same(res.json(), { imported: 10_000 })
  t.comment(`imported 10 000 items (${(lines.length / 1024 / 1024).toFixed(1)} MiB of JSON lines) in ${ms.toFixed(0)} ms`)
  t.equal((await ctx.sql`select count(*)::int as n from exam.items`)[0]?.n, 10_000)

  // The hot path over that bank: each answer scores, re-estimates, chooses among 10 000 items and writes once.
  const student = await ctx.as('student', teacher.organizationId)
  const classroomId = await createClassroom(ctx, teacher.organizationId!, teacher.userId, [student.userId])
  const exam = (await ctx.app.inject({ method: 'POST', url: '/exam/exams', headers: teacher.headers, payload: { title: 'Big', kind: 'adaptive', subject: 'math', randomesque: 3, contentTargets: { 'topic-0': 1, 'topic-1': 1, 'topic-2': 1 }, stopping: { maxItems: 40 } } })).json()
  await ctx.app.inject({ method: 'PUT', url: `/exam/exams/${exam.id as string}/classrooms/${classroomId}`, headers: teacher.headers })
  let step = (await ctx.app.inject({ method: 'POST', url: `/exam/exams/${exam.id as string}/sessions`, headers: student.headers })).json()
  const timings: number[] = []
  while (step.item !== null) {
    const at = performance.now()
    const res = await ctx.app.inject({ method: 'POST', url: `/exam/sessions/${step.session.id as string}/answers`, headers: student.headers, payload: { itemId: step.item.id, optionIndex: timings.length % 4 } })
    timings.push(performance.now() - at)
    t.equal(res.statusCode, 200)
    step = res.json()
  }
  timings.sort((x, y) => x - y)
  const pct = (p: number) => timings[Math.min(timings.length - 1, Math.floor(p * timings.length))]!.toFixed(1)
  t.comment(`answer -> next item over a 10 000-item bank, ${timings.length} answers: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`)
  t.equal(step.result.itemsAnswered, 40)
})
