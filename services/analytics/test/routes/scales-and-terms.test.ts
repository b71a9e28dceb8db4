// Setting scales and terms: admins of the organization only, and every bad input a 4xx in the error model with
// nothing written.
import t from 'tap'
import { buildAnalytics, id, school, type AnalyticsContext } from '../helper.js'

async function send (ctx: AnalyticsContext, method: 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, body?: unknown) {
  return await ctx.app.inject({ method, url, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) })
}

const GOOD = { subject: 'math', slope: 10, intercept: 200, decimals: 0, min: 100, max: 300 }
const AUTUMN = { name: 'Autumn 2026', startsAt: '2026-09-01T00:00:00.000Z', endsAt: '2027-01-01T00:00:00.000Z' }

t.test('admins set and read scales and terms; teachers read them', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  const put = await send(ctx, 'PUT', '/analytics/scales', s.admin.headers, GOOD)
  t.equal(put.statusCode, 200, put.body)
  t.match(put.json(), { ...GOOD, updatedBy: s.admin.userId })
  const replaced = await send(ctx, 'PUT', '/analytics/scales', s.admin.headers, { subject: 'math', slope: -5, intercept: 50, decimals: 2 })
  t.match(replaced.json(), { slope: -5, intercept: 50, decimals: 2, min: null, max: null }, 'replaced whole; a negative slope is a scale')
  const scales = (await ctx.get('/analytics/scales', s.teacher.headers)).json()
  t.equal(scales.scales.length, 1, 'one scale per subject')
  t.equal(scales.scales[0].slope, -5)

  const autumn = await send(ctx, 'POST', '/analytics/terms', s.admin.headers, AUTUMN)
  t.equal(autumn.statusCode, 201)
  const spring = await send(ctx, 'POST', '/analytics/terms', s.admin.headers, { name: 'Spring 2027', startsAt: AUTUMN.endsAt, endsAt: '2027-06-01T00:00:00.000Z' })
  t.equal(spring.statusCode, 201, 'a term may start the instant the previous ends')
  const terms = (await ctx.get('/analytics/terms', s.teacher.headers)).json()
  t.same(terms.terms.map((x: { name: string }) => x.name), ['Autumn 2026', 'Spring 2027'], 'oldest first')
  t.equal((await send(ctx, 'DELETE', `/analytics/terms/${autumn.json().id}`, s.admin.headers)).statusCode, 204)
  t.same((await ctx.get('/analytics/terms', s.admin.headers)).json().terms.map((x: { name: string }) => x.name), ['Spring 2027'])
})

t.test('every bad scale or term, and every writer who is not an admin of the organization, is a 4xx with nothing written', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await school(ctx, 1)
  const other = await school(ctx, 1)
  t.equal((await send(ctx, 'POST', '/analytics/terms', s.admin.headers, AUTUMN)).statusCode, 201)
  const theirs = (await send(ctx, 'POST', '/analytics/terms', other.admin.headers, { ...AUTUMN, name: 'Theirs' })).json().id as string
  const rows = async () => (await ctx.sql`select (select count(*)::int from analytics.scales) as scales, (select count(*)::int from analytics.terms) as terms`)[0]
  const before = await rows()
  t.same(before, { scales: 0, terms: 2 })
  const cases: Array<[string, 'PUT' | 'POST' | 'DELETE', string, Record<string, string>, unknown, number, string]> = [
    ['a zero slope', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, slope: 0 }, 400, 'ANALYTICS_SCALE_ZERO_SLOPE'],
    ['bounds reversed', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, min: 300, max: 100 }, 400, 'ANALYTICS_SCALE_BOUNDS_REVERSED'],
    ['bounds equal', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, min: 200, max: 200 }, 400, 'ANALYTICS_SCALE_BOUNDS_REVERSED'],
    ['4 decimals', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, decimals: 4 }, 400, 'ANALYTICS_SCALE_DECIMALS'],
    ['negative decimals', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, decimals: -1 }, 400, 'ANALYTICS_SCALE_DECIMALS'],
    ['fractional decimals', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, decimals: 1.5 }, 400, 'VALIDATION_FAILED'],
    ['a slope that is not a number', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, slope: 'ten' }, 400, 'VALIDATION_FAILED'],
    ['no subject', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, subject: '' }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', 'PUT', '/analytics/scales', s.admin.headers, { ...GOOD, offset: 3 }, 400, 'VALIDATION_FAILED'],
    ['a teacher setting a scale', 'PUT', '/analytics/scales', s.teacher.headers, GOOD, 403, 'FORBIDDEN'],
    ['a student setting a scale', 'PUT', '/analytics/scales', s.student.headers, GOOD, 403, 'FORBIDDEN'],
    ['a term ending before it starts', 'POST', '/analytics/terms', s.admin.headers, { name: 'Back', startsAt: '2027-06-01T00:00:00Z', endsAt: '2027-02-01T00:00:00Z' }, 400, 'ANALYTICS_TERM_RANGE'],
    ['a term of no length', 'POST', '/analytics/terms', s.admin.headers, { name: 'Empty', startsAt: '2027-06-01T00:00:00Z', endsAt: '2027-06-01T00:00:00Z' }, 400, 'ANALYTICS_TERM_RANGE'],
    ['an overlapping term', 'POST', '/analytics/terms', s.admin.headers, { name: 'Winter', startsAt: '2026-12-01T00:00:00Z', endsAt: '2027-03-01T00:00:00Z' }, 409, 'ANALYTICS_TERM_OVERLAP'],
    ['a term inside another', 'POST', '/analytics/terms', s.admin.headers, { name: 'October', startsAt: '2026-10-01T00:00:00Z', endsAt: '2026-11-01T00:00:00Z' }, 409, 'ANALYTICS_TERM_OVERLAP'],
    ['a term\'s name taken', 'POST', '/analytics/terms', s.admin.headers, { ...AUTUMN, startsAt: '2028-01-01T00:00:00Z', endsAt: '2028-02-01T00:00:00Z' }, 409, 'ANALYTICS_TERM_NAME_TAKEN'],
    ['a date that is not one', 'POST', '/analytics/terms', s.admin.headers, { name: 'X', startsAt: 'soon', endsAt: '2028-02-01T00:00:00Z' }, 400, 'VALIDATION_FAILED'],
    ['a teacher adding a term', 'POST', '/analytics/terms', s.teacher.headers, { name: 'T', startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-02-01T00:00:00Z' }, 403, 'FORBIDDEN'],
    ['an admin of no organization', 'POST', '/analytics/terms', (await ctx.as('admin', null)).headers, { name: 'T', startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-02-01T00:00:00Z' }, 403, 'ANALYTICS_NO_ORGANIZATION'],
    ['deleting another organization\'s term', 'DELETE', `/analytics/terms/${theirs}`, s.admin.headers, undefined, 404, 'ANALYTICS_TERM_NOT_FOUND'],
    ['deleting a made-up term', 'DELETE', `/analytics/terms/${id()}`, s.admin.headers, undefined, 404, 'ANALYTICS_TERM_NOT_FOUND'],
    ['a teacher deleting a term', 'DELETE', `/analytics/terms/${theirs}`, other.teacher.headers, undefined, 403, 'FORBIDDEN']
  ]
  for (const [name, method, url, headers, body, status, code] of cases) {
    const res = await send(ctx, method, url, headers, body)
    t.equal(res.statusCode, status, `${name}: ${res.body.slice(0, 200)}`)
    t.equal(res.json().error?.code, code, `${name}: ${code}`)
  }
  t.same(await rows(), before, 'nothing written, nothing removed')
  t.equal((await ctx.get('/analytics/scales', s.student.headers)).statusCode, 403, 'students do not read scales')
})
