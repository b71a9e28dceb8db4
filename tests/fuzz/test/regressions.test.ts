// Counterexamples the fuzzer found, kept as plain cases. Each fails until the bug it pins is fixed in the
// service or the kit (see test/support/known-bugs.ts, whose entry goes once its case here passes).
import t from 'tap'
import { buildExam } from '../../../services/exam/test/helper.js'
import { violation } from './support/fuzz.js'

t.test('framework errors leave in the error model: a bad percent-encoding and an over-long path parameter', async (t) => {
  // Found by fuzz-exam (GET /exam/items/{id}, seed-independent): FST_ERR_BAD_URL and FST_ERR_MAX_PARAM_LENGTH
  // are answered by Fastify's default handler, as {"error":"Bad Request","code":"FST_ERR_…","statusCode":…}.
  const ctx = await buildExam(t)
  const { headers } = await ctx.as('teacher', null)
  for (const url of ['/exam/items/%', '/exam/sessions/%zz/current', `/exam/exams/${'a'.repeat(5000)}`, '/%E0%A4%A']) {
    const res = await ctx.app.inject({ method: 'GET', url, headers })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${url.slice(0, 40)}: ${res.statusCode}`)
    t.equal(violation({ method: 'GET', headers: {} }, { statusCode: res.statusCode, headers: res.headers, body: res.body }), undefined, `${url.slice(0, 40)}: the error model`)
  }
})
