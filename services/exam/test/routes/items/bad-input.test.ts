import t from 'tap'
import { buildExam, newItem, newOrganization } from '../../helper.js'

t.test('bad input on the item routes gets a 4xx in the error model and changes nothing', async (t) => {
  const ctx = await buildExam(t)
  const teacher = await ctx.as('teacher', newOrganization())
  const item = (await ctx.app.inject({ method: 'POST', url: '/exam/items', headers: teacher.headers, payload: newItem() })).json()
  const json = { ...teacher.headers, 'content-type': 'application/json' }
  const id = item.id as string
  const cases: Array<[string, 'GET' | 'POST' | 'PATCH', string, string | undefined, Record<string, string>]> = [
    ['create: missing stem', 'POST', '/exam/items', JSON.stringify({ ...newItem(), stem: undefined }), json],
    ['create: extra field', 'POST', '/exam/items', JSON.stringify({ ...newItem(), key: 1 }), json],
    ['create: wrong types', 'POST', '/exam/items', JSON.stringify({ ...newItem(), options: 'a,b', correctIndex: '1' }), json],
    ['create: malformed JSON', 'POST', '/exam/items', '{"stem":', json],
    ['create: empty JSON body', 'POST', '/exam/items', '', json],
    ['create: an array', 'POST', '/exam/items', '[]', json],
    ['create: over the body limit', 'POST', '/exam/items', JSON.stringify(newItem({ stem: 'x'.repeat(70_000) })), json],
    ['create: a stem over 10 000 characters', 'POST', '/exam/items', JSON.stringify(newItem({ stem: 'x'.repeat(10_001) })), json],
    ['create: a NUL byte', 'POST', '/exam/items', JSON.stringify(newItem({ stem: 'a\u0000b' })), json],
    ['create: infinite b', 'POST', '/exam/items', '{"stem":"s","options":["a","b"],"correctIndex":0,"subject":"m","b":1e999}', json],
    ['create: form-encoded', 'POST', '/exam/items', 'stem=x', { ...teacher.headers, 'content-type': 'application/x-www-form-urlencoded' }],
    ['patch: empty', 'PATCH', `/exam/items/${id}`, '{}', json],
    ['patch: extra field', 'PATCH', `/exam/items/${id}`, JSON.stringify({ organizationId: newOrganization() }), json],
    ['patch: not a uuid', 'PATCH', '/exam/items/not-a-uuid', JSON.stringify({ status: 'active' }), json],
    ['patch: wrong type', 'PATCH', `/exam/items/${id}`, JSON.stringify({ a: 'high' }), json],
    ['get: injection attempt', 'GET', "/exam/items/1'%20or%201=1", undefined, teacher.headers],
    ['list: unknown filter', 'GET', '/exam/items?owner=me', undefined, teacher.headers],
    ['list: limit 0', 'GET', '/exam/items?limit=0', undefined, teacher.headers],
    ['list: cursor not a uuid', 'GET', '/exam/items?cursor=abc', undefined, teacher.headers],
    ['list: unknown status', 'GET', '/exam/items?status=live', undefined, teacher.headers],
    ['a malformed bearer token', 'GET', '/exam/items', undefined, { authorization: 'Bearer not.a.token' }],
    ['a bearer token signed by someone else', 'GET', '/exam/items', undefined, { authorization: 'Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln' }]
  ]
  for (const [name, method, url, payload, headers] of cases) {
    const res = await ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode} ${res.json().error?.code as string}`)
    t.type(res.json().error?.code, 'string', `${name}: error code`)
    t.type(res.json().error?.requestId, 'string', `${name}: request id`)
  }
  const rows = await ctx.sql`select stem, status, a from exam.items`
  t.same(rows.map((r) => ({ ...r })), [{ stem: item.stem, status: 'draft', a: 1 }])
})
