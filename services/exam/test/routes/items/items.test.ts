import t from 'tap'
import { buildExam, newItem, newOrganization } from '../../helper.js'

t.test('a teacher creates an item with the default parameters, reads it, changes it and lists it', async (t) => {
  const ctx = await buildExam(t)
  const org = newOrganization()
  const teacher = await ctx.as('teacher', org)
  const created = await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: teacher.headers, payload: newItem({ stem: '  Two plus two?  ', options: ['3', '4', '5'], correctIndex: 1, b: -1.5 }) })
  t.equal(created.statusCode, 201, created.body)
  const item = created.json()
  t.match(item, { stem: 'Two plus two?', options: ['3', '4', '5'], correctIndex: 1, a: 1, b: -1.5, c: 0, d: 1, status: 'draft', organizationId: org, authorId: teacher.userId, subject: 'math', topics: ['arithmetic'] })

  const read = await ctx.app.inject({ method: 'GET', url: `/exam/items/${item.id}`, headers: teacher.headers })
  t.equal(read.statusCode, 200)
  t.same(read.json(), item)

  const admin = await ctx.as('admin', org)
  const patched = await ctx.app.inject({ method: 'PATCH', url: `/exam/items/${item.id}`, headers: admin.headers, payload: { status: 'active', a: 1.7, c: 0.2, topics: ['arithmetic', 'addition'] } })
  t.equal(patched.statusCode, 200, patched.body)
  t.match(patched.json(), { status: 'active', a: 1.7, c: 0.2, d: 1, topics: ['arithmetic', 'addition'], stem: 'Two plus two?' })

  await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: teacher.headers, payload: newItem({ subject: 'physics', topics: ['motion'] }) })
  const listed = await ctx.app.inject({ method: 'GET', url: '/exam/items?subject=math&topic=addition&status=active', headers: teacher.headers })
  t.equal(listed.statusCode, 200)
  t.same(listed.json().items.map((i: { id: string }) => i.id), [item.id])
  t.equal(listed.json().nextCursor, null)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/exam/items?status=draft', headers: teacher.headers })).json().items.length, 1)
})

t.test('an item breaking a rule is refused with the rule it breaks', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['one option', { options: ['x'], correctIndex: 0 }, 'VALIDATION_FAILED'],
    ['eleven options', { options: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'] }, 'VALIDATION_FAILED'],
    ['key beyond the options', { options: ['1', '2'], correctIndex: 2 }, 'EXAM_ITEM_INVALID'],
    ['two identical options (two correct)', { options: ['4', '4 ', '5'], correctIndex: 0 }, 'EXAM_ITEM_INVALID'],
    ['a = 0', { a: 0 }, 'VALIDATION_FAILED'],
    ['a > 5', { a: 5.01 }, 'VALIDATION_FAILED'],
    ['b > 6', { b: 6.5 }, 'VALIDATION_FAILED'],
    ['b missing', { b: undefined }, 'EXAM_ITEM_INVALID'],
    ['c = 0.5', { c: 0.5 }, 'VALIDATION_FAILED'],
    ['d = 0.5', { d: 0.5 }, 'VALIDATION_FAILED'],
    ['blank stem', { stem: '   ' }, 'VALIDATION_FAILED'],
    ['unknown status', { status: 'published' }, 'VALIDATION_FAILED'],
    ['a number as a string', { b: '1' }, 'VALIDATION_FAILED'],
    ['an extra field', { answer: 1 }, 'VALIDATION_FAILED']
  ]
  for (const [name, overrides, code] of cases) {
    const res = await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: teacher.headers, payload: newItem(overrides) })
    t.equal(res.statusCode, 400, name)
    t.equal(res.json().error.code, code, name)
  }
  const ok = (await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: teacher.headers, payload: newItem({ c: 0.3, d: 0.9 }) })).json()
  const cAboveD = await ctx.app.inject({ method: 'PATCH', url: `/exam/items/${ok.id as string}`, headers: teacher.headers, payload: { d: 0.6, c: 0.45 } })
  t.equal(cAboveD.statusCode, 200, 'c < d holds at 0.45 < 0.6')
  const keyGone = await ctx.app.inject({ method: 'PATCH', url: `/exam/items/${ok.id as string}`, headers: teacher.headers, payload: { options: ['only', 'two'], correctIndex: 3 } })
  t.equal(keyGone.json().error.code, 'EXAM_ITEM_INVALID')
  t.equal((await ctx.sql`select count(*)::int as n from exam.items`)[0]?.n, 1, 'nothing refused was written')
})

t.test('only teachers and admins of the item\'s organization reach it', async (t) => {
  const ctx = await buildExam(t)
  const org = newOrganization()
  const teacher = await ctx.as('teacher', org)
  const item = (await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: teacher.headers, payload: newItem() })).json()
  const student = await ctx.as('student', org)
  for (const [method, url] of [['GET', '/exam/items'], ['GET', `/exam/items/${item.id as string}`], ['PATCH', `/exam/items/${item.id as string}`], ['POST', '/exam/items']] as const) {
    const payload = method === 'GET' ? {} : { payload: method === 'POST' ? newItem() : { status: 'retired' } }
    const res = await ctx.app.inject({ method, url, headers: student.headers, ...payload })
    t.equal(res.statusCode, 403, `a student: ${method} ${url}`)
    const anonymous = await ctx.app.inject({ method, url, ...payload })
    t.equal(anonymous.statusCode, 401, `no token: ${method} ${url}`)
  }
  const stranger = await ctx.as('teacher', newOrganization())
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/items/${item.id as string}`, headers: stranger.headers })).json().error.code, 'EXAM_ITEM_NOT_FOUND', 'another organization learns nothing')
  t.equal((await ctx.app.inject({ method: 'PATCH', url: `/exam/items/${item.id as string}`, headers: stranger.headers, payload: { status: 'retired' } })).json().error.code, 'EXAM_ITEM_NOT_FOUND')
  t.same((await ctx.app.inject({ method: 'GET', url: '/exam/items', headers: stranger.headers })).json().items, [], 'another organization lists none of them')
  const homeless = await ctx.as('teacher', null)
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: homeless.headers, payload: newItem() })
  t.equal(res.json().error.code, 'EXAM_NO_ORGANIZATION')
  t.equal((await ctx.app.inject({ method: 'GET', url: `/exam/items/${newOrganization()}`, headers: teacher.headers })).json().error.code, 'EXAM_ITEM_NOT_FOUND')
  t.equal((await ctx.sql`select status from exam.items`)[0]?.status, 'draft')
})

t.test('the item list pages by id and costs the same queries for 1 row as for 50', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify(newItem({ topics: [i % 2 === 0 ? 'even' : 'odd'] }))).join('\n')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...teacher.headers, 'content-type': 'application/x-ndjson' }, payload: lines })).statusCode, 201)
  const seen: string[] = []
  let cursor: string | null = null
  do {
    const res = await ctx.app.inject({ method: 'GET', url: `/exam/items?limit=50${cursor === null ? '' : `&cursor=${cursor}`}`, headers: teacher.headers })
    const page = res.json() as { items: Array<{ id: string }>, nextCursor: string | null }
    seen.push(...page.items.map((i) => i.id))
    cursor = page.nextCursor
  } while (cursor !== null)
  t.equal(seen.length, 120)
  t.same(seen, [...seen].sort(), 'in id order')
  t.equal(new Set(seen).size, 120, 'no row twice')
  t.equal((await ctx.app.inject({ method: 'GET', url: '/exam/items?limit=101', headers: teacher.headers })).statusCode, 400)
  t.equal((await ctx.app.inject({ method: 'GET', url: '/exam/items?topic=odd&limit=100', headers: teacher.headers })).json().items.length, 60)

  const queries = async (url: string) => {
    const before = ctx.app.database.queryCount()
    const res = await ctx.app.inject({ method: 'GET', url, headers: teacher.headers })
    t.equal(res.statusCode, 200)
    return { n: ctx.app.database.queryCount() - before, rows: res.json().items.length }
  }
  const one = await queries('/exam/items?limit=1')
  const fifty = await queries('/exam/items?limit=50')
  t.equal(one.rows, 1)
  t.equal(fifty.rows, 50)
  t.equal(one.n, fifty.n, `${one.n} queries for 1 row and ${fifty.n} for 50`)
  t.equal(one.n, 1)
})
