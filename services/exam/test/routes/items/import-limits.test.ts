// What a hostile or careless import costs: cells and lines are cut before anything reads them, reading stops
// at the item cap and after a bounded report, and nobody unauthorized gets the body read at all.
import t from 'tap'
import { buildExam, newItem, newOrganization, type ExamContext } from '../../helper.js'

const ndjson = { 'content-type': 'application/x-ndjson' }
const csv = { 'content-type': 'text/csv' }
const URL = '/exam/items/import'
const itemCount = async (ctx: ExamContext) => (await ctx.sql`select count(*)::int as n from exam.items`)[0]?.n

t.test('a CSV with 60 KB cells is refused line by line as too long, and nothing is written', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  // Digits followed by one character that is not: the input that made the old number pattern backtrack.
  const digits = '1'.repeat(60_000) + 'x'
  const table = [
    'stem,option1,option2,correctIndex,subject,topics,a,b,c,d',
    'fine,1,2,0,math,,,0,,',
    `hostile a,1,2,0,math,,${digits},0,,`,
    `hostile correctIndex,1,2,${digits},math,,,0,,`,
    `hostile b,1,2,0,math,,,${digits},,`,
    `hostile d,1,2,0,math,,,0,,${'9'.repeat(60_000)}`,
    `${'s'.repeat(60_000)},1,2,0,math,,,0,,`,
    `long option,${'o'.repeat(60_000)},2,0,math,,,0,,`,
    `long topics,1,2,0,math,${'t;'.repeat(30_000)},,0,,`,
    `long subject,1,2,0,${'m'.repeat(60_000)},,,0,,`
  ].join('\n')
  const res = await ctx.app.inject({ method: 'POST', url: URL, headers: { ...teacher.headers, ...csv }, payload: table })
  t.equal(res.statusCode, 400)
  const error = res.json().error
  t.equal(error.code, 'EXAM_IMPORT_REJECTED')
  t.same(error.details, [
    { path: 'line 3', message: 'a: is too long (at most 32 characters)' },
    { path: 'line 4', message: 'correctIndex: is too long (at most 32 characters)' },
    { path: 'line 5', message: 'b: is too long (at most 680 characters)' },
    { path: 'line 6', message: 'd: is too long (at most 32 characters)' },
    { path: 'line 7', message: 'stem: is too long (at most 10000 characters)' },
    { path: 'line 8', message: 'option1: is too long (at most 2000 characters)' },
    { path: 'line 9', message: 'topics: is too long (at most 4040 characters)' },
    { path: 'line 10', message: 'subject: is too long (at most 100 characters)' }
  ])
  t.match(error.message, /^8 of 9 lines were rejected/)
  t.equal(await itemCount(ctx), 0, 'nothing was written')

  const longLine = JSON.stringify(newItem({ stem: 'x'.repeat(300_000) }))
  const lines = await ctx.app.inject({ method: 'POST', url: URL, headers: { ...teacher.headers, ...ndjson }, payload: [JSON.stringify(newItem()), longLine].join('\n') })
  t.equal(lines.statusCode, 400)
  t.same(lines.json().error.details, [{ path: 'line 2', message: 'is too long (at most 262144 characters)' }])
  t.equal(await itemCount(ctx), 0)
})

t.test('reading stops at the item cap', async (t) => {
  const ctx = await buildExam(t, { EXAM_IMPORT_MAX_ITEMS: '50' })
  const teacher = await ctx.as('teacher', newOrganization())
  await ctx.app.inject({ method: 'GET', url: '/exam/items', headers: teacher.headers }) // the token verified once, before counting

  // Everything after item 51 is never read: a quote left open at the end would otherwise reject the file.
  const table = ['stem,option1,option2,correctIndex,subject,b', ...Array.from({ length: 60 }, (_, i) => `item ${i},1,2,0,math,0`), '"never closed,1'].join('\n')
  const fromCsv = await ctx.app.inject({ method: 'POST', url: URL, headers: { ...teacher.headers, ...csv }, payload: table })
  t.equal(fromCsv.statusCode, 413)
  t.equal(fromCsv.json().error.code, 'EXAM_IMPORT_TOO_MANY_ITEMS')
  t.match(fromCsv.json().error.message, /at most 50 items/)

  const lines = Array.from({ length: 5000 }, () => JSON.stringify(newItem())).join('\n')
  const parse = JSON.parse
  let parsed = 0
  JSON.parse = (...args: Parameters<typeof JSON.parse>) => { parsed++; return parse(...args) }
  let res
  try {
    res = await ctx.app.inject({ method: 'POST', url: URL, headers: { ...teacher.headers, ...ndjson }, payload: lines })
  } finally {
    JSON.parse = parse
  }
  t.equal(res.statusCode, 413)
  t.match(res.json().error.message, /at most 50 items/)
  t.ok(parsed <= 50, `${parsed} of the 5000 lines parsed: the 51st line is counted, not parsed`)
  t.equal(await itemCount(ctx), 0)
})

t.test('a file of bad lines gets a report of at most 100 problems', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  const lines = Array.from({ length: 1000 }, (_, i) => i % 2 === 0 ? '{broken' : JSON.stringify(newItem({ a: 9 }))).join('\n')
  const res = await ctx.app.inject({ method: 'POST', url: URL, headers: { ...teacher.headers, ...ndjson }, payload: lines })
  t.equal(res.statusCode, 400)
  const error = res.json().error
  t.equal(error.code, 'EXAM_IMPORT_REJECTED')
  t.equal(error.details.length, 100, `${error.details.length as number} problems listed`)
  t.equal(error.details[99].path, 'line 100')
  t.match(error.message, /reading stopped after 100 rejected lines/)

  const table = ['stem,option1,option2,correctIndex,subject,b', ...Array.from({ length: 1000 }, () => 'bad,1,2,0,math,one')].join('\n')
  const fromCsv = await ctx.app.inject({ method: 'POST', url: URL, headers: { ...teacher.headers, ...csv }, payload: table })
  t.equal(fromCsv.statusCode, 400)
  t.equal(fromCsv.json().error.details.length, 100)
  t.equal(await itemCount(ctx), 0)
})

t.test('an import is authorized before its body is read', async (t) => {
  const ctx = await buildExam(t, { EXAM_IMPORT_BODY_LIMIT_BYTES: '100000' })
  const student = await ctx.as('student', newOrganization())
  // Each of these bodies is refused when read (413 over the limit, 415 for the content type): a 401 or 403
  // instead shows that it was not read.
  const big = 'x'.repeat(500_000)
  const post = async (headers: Record<string, string>, payload: string) => await ctx.app.inject({ method: 'POST', url: URL, headers, payload })
  const stranger = await post(ndjson, big)
  t.equal(stranger.statusCode, 401, `a stranger: ${stranger.statusCode}`)
  t.equal(stranger.json().error.code, 'AUTHENTICATION_REQUIRED')
  const badToken = await post({ ...ndjson, authorization: 'Bearer nonsense' }, big)
  t.equal(badToken.statusCode, 401, `a bad token: ${badToken.statusCode}`)
  const wrongType = await post({ 'content-type': 'application/json' }, '[]')
  t.equal(wrongType.statusCode, 401, `a stranger's JSON: ${wrongType.statusCode}`)
  const studentRes = await post({ ...student.headers, ...csv }, big)
  t.equal(studentRes.statusCode, 403, `a student: ${studentRes.statusCode}`)
  t.equal(studentRes.json().error.code, 'FORBIDDEN')
  t.equal(await itemCount(ctx), 0)
})
