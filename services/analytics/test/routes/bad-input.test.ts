import t from 'tap'
import { buildAnalytics, ev, id, school } from '../helper.js'

t.test('bad input on every route gets a 4xx in the error model, never a 5xx', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  const item = id()
  await ctx.publish(ev.itemChanged(item, s.organizationId, { status: 'pretest' }))
  await ctx.settled()
  const h = s.teacher.headers
  const cases: Array<[string, 'GET' | 'POST', string, Record<string, string>]> = [
    ['student: not a uuid', 'GET', '/analytics/students/42', h],
    ['student: days 0', 'GET', `/analytics/students/${s.student.userId}?days=0`, h],
    ['student: days not a number', 'GET', `/analytics/students/${s.student.userId}?days=many`, h],
    ['student: days too many', 'GET', `/analytics/students/${s.student.userId}?days=367`, h],
    ['student: unknown query field', 'GET', `/analytics/students/${s.student.userId}?sort=theta`, h],
    ['classroom: not a uuid', 'GET', '/analytics/classrooms/abc', h],
    ['classroom: SQL in the id', 'GET', `/analytics/classrooms/${encodeURIComponent("' or 1=1 --")}`, h],
    ['classroom students: bad cursor', 'GET', `/analytics/classrooms/${s.classroomId}/students?cursor=zzz`, h],
    ['classroom students: limit 0', 'GET', `/analytics/classrooms/${s.classroomId}/students?limit=0`, h],
    ['classroom students: limit 101', 'GET', `/analytics/classrooms/${s.classroomId}/students?limit=101`, h],
    ['items: unknown status', 'GET', '/analytics/items?status=lost', h],
    ['items: empty subject', 'GET', '/analytics/items?subject=', h],
    ['items: negative limit', 'GET', '/analytics/items?limit=-1', h],
    ['items: cursor not a uuid', 'GET', '/analytics/items?cursor=1', h],
    ['items: unknown filter', 'GET', '/analytics/items?author=me', h],
    ['item: not a uuid', 'GET', '/analytics/items/item-1', h],
    ['item: unknown', 'GET', `/analytics/items/${id()}`, h],
    ['calibration: unknown model', 'GET', `/analytics/items/${item}/calibration?model=4PL`, h],
    ['calibration: not a uuid', 'GET', '/analytics/items/x/calibration', h],
    ['promote: unknown model', 'POST', `/analytics/items/${item}/promote?model=1PL`, h],
    ['promote: no responses yet', 'POST', `/analytics/items/${item}/promote`, h],
    ['promote: unknown item', 'POST', `/analytics/items/${id()}/promote`, h],
    ['promote: not a uuid', 'POST', '/analytics/items/%00/promote', h],
    ['student chart: no subject', 'GET', `/analytics/students/${s.student.userId}/ability-chart.svg`, h],
    ['student chart: not a uuid', 'GET', '/analytics/students/me/ability-chart.svg?subject=math', h],
    ['classroom chart: subject too long', 'GET', `/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=${'x'.repeat(201)}`, h],
    ['classroom chart: unknown field', 'GET', `/analytics/classrooms/${s.classroomId}/ability-chart.svg?subject=math&width=9000`, h],
    ['exam: not a uuid', 'GET', '/analytics/exams/1e3', h],
    ['exam: unknown', 'GET', `/analytics/exams/${id()}`, h],
    ['a malformed token', 'GET', `/analytics/students/${s.student.userId}`, { authorization: 'Bearer not.a.token' }],
    ['not a bearer token', 'GET', '/analytics/items', { authorization: 'Basic abc' }],
    ['an unknown route', 'GET', '/analytics/teachers', h]
  ]
  for (const [name, method, url, headers] of cases) {
    const res = await ctx.app.inject({ method, url, headers })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${name}: ${res.statusCode} ${res.body.slice(0, 200)}`)
    const body = res.json()
    t.type(body.error?.code, 'string', `${name}: error model`)
    t.type(body.error?.requestId, 'string')
  }
  const promote = await ctx.app.inject({ method: 'POST', url: `/analytics/items/${item}/promote`, headers: { ...h, 'content-type': 'application/json' }, payload: '{"model":' })
  t.equal(promote.statusCode, 400, 'a malformed body')
  t.equal(promote.json().error.code, 'MALFORMED_JSON')
})
