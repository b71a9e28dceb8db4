import t from 'tap'
import { Type } from 'typebox'
import { AuthenticationError, AuthorizationError, ConflictError, DependencyError, NotFoundError, RateLimitedError, ValidationError } from '../src/index.js'
import { buildKitApp } from './helper.js'

const Body = Type.Object({ name: Type.String({ maxLength: 20 }), age: Type.Integer() }, { additionalProperties: false })

async function build (t: Parameters<typeof buildKitApp>[0]) {
  return await buildKitApp(t, (app) => {
    app.post('/echo', { schema: { body: Body, querystring: Type.Object({ n: Type.Optional(Type.Integer()) }, { additionalProperties: false }) } }, async (request) => ({ body: request.body, query: request.query }))
    const errors: Record<string, () => Error> = {
      validation: () => new ValidationError(),
      authentication: () => new AuthenticationError(),
      authorization: () => new AuthorizationError(),
      notfound: () => new NotFoundError(),
      conflict: () => new ConflictError(),
      ratelimited: () => new RateLimitedError(7),
      dependency: () => new DependencyError(),
      bug: () => new Error('secret internals: password=hunter2'),
      pgdown: () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    }
    app.get('/fail/:kind', async (request) => { throw (errors[(request.params as { kind: string }).kind] ?? errors.bug!)() })
  })
}

t.test('each error class maps to its status and code in the shared error model', async (t) => {
  const { app } = await build(t)
  const expected: Array<[string, number, string]> = [
    ['validation', 400, 'VALIDATION_FAILED'], ['authentication', 401, 'AUTHENTICATION_REQUIRED'], ['authorization', 403, 'FORBIDDEN'],
    ['notfound', 404, 'NOT_FOUND'], ['conflict', 409, 'CONFLICT'], ['ratelimited', 429, 'RATE_LIMITED'],
    ['dependency', 503, 'DEPENDENCY_UNAVAILABLE'], ['pgdown', 503, 'DEPENDENCY_UNAVAILABLE'], ['bug', 500, 'INTERNAL_ERROR']
  ]
  for (const [kind, status, code] of expected) {
    const res = await app.inject({ method: 'GET', url: `/fail/${kind}`, headers: { 'x-request-id': `req-${kind}` } })
    t.equal(res.statusCode, status, kind)
    const body = res.json()
    t.same(Object.keys(body), ['error'])
    t.equal(body.error.code, code, kind)
    t.equal(body.error.requestId, `req-${kind}`)
    t.type(body.error.message, 'string')
    t.equal(res.headers['x-request-id'], `req-${kind}`)
  }
  const limited = await app.inject({ method: 'GET', url: '/fail/ratelimited' })
  t.equal(limited.headers['retry-after'], '7')
})

t.test('a 500 hides its message from the caller and logs it with the request id', async (t) => {
  const { app, log } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/fail/bug', headers: { 'x-request-id': 'trace-me' } })
  t.equal(res.statusCode, 500)
  t.notMatch(res.body, /hunter2|internals/)
  const line = log.lines.find((l) => l.msg === 'unhandled error')
  t.ok(line, 'the error is logged')
  t.equal(line?.requestId, 'trace-me')
})

t.test('bad bodies get a 4xx in the error model, never a 5xx', async (t) => {
  const { app } = await build(t)
  const cases: Array<[string, { payload?: string, headers?: Record<string, string> }, number, string]> = [
    ['missing field', { payload: JSON.stringify({ name: 'a' }) }, 400, 'VALIDATION_FAILED'],
    ['extra field', { payload: JSON.stringify({ name: 'a', age: 1, admin: true }) }, 400, 'VALIDATION_FAILED'],
    ['wrong type is not coerced', { payload: JSON.stringify({ name: 'a', age: '1' }) }, 400, 'VALIDATION_FAILED'],
    ['number for a string is not coerced', { payload: JSON.stringify({ name: 12, age: 1 }) }, 400, 'VALIDATION_FAILED'],
    ['malformed JSON', { payload: '{"name": "a", ' }, 400, 'MALFORMED_JSON'],
    ['empty JSON body', { payload: '' }, 400, 'MALFORMED_JSON'],
    ['over the body limit', { payload: JSON.stringify({ name: 'a'.repeat(5000), age: 1 }) }, 413, 'PAYLOAD_TOO_LARGE'],
    ['unsupported content type', { payload: 'name=a', headers: { 'content-type': 'text/csv' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an array body', { payload: '[1,2]' }, 400, 'VALIDATION_FAILED'],
    ['a string too long', { payload: JSON.stringify({ name: 'x'.repeat(21), age: 1 }) }, 400, 'VALIDATION_FAILED']
  ]
  for (const [name, req, status, code] of cases) {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: req.payload, headers: { 'content-type': 'application/json', ...req.headers } })
    t.equal(res.statusCode, status, name)
    t.equal(res.json().error.code, code, name)
  }
  const extra = await app.inject({ method: 'POST', url: '/echo', payload: { name: 'a', age: 1, admin: true } })
  t.match(extra.json().error.details, [{ path: 'body', message: /admin/ }])
})

t.test('query strings are coerced from text, and unknown parameters are refused', async (t) => {
  const { app } = await build(t)
  const ok = await app.inject({ method: 'POST', url: '/echo?n=5', payload: { name: 'a', age: 1 } })
  t.same(ok.json().query, { n: 5 })
  const bad = await app.inject({ method: 'POST', url: '/echo?n=five', payload: { name: 'a', age: 1 } })
  t.equal(bad.statusCode, 400)
  const unknown = await app.inject({ method: 'POST', url: '/echo?debug=1', payload: { name: 'a', age: 1 } })
  t.equal(unknown.statusCode, 400)
})

t.test('an unknown route is a 404 in the error model', async (t) => {
  const { app } = await build(t)
  const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' })
  t.equal(res.statusCode, 404)
  t.equal(res.json().error.code, 'ROUTE_NOT_FOUND')
})

t.test('a request id is taken from x-request-id when it is a sane id, generated otherwise', async (t) => {
  const { app } = await build(t)
  const given = await app.inject({ method: 'GET', url: '/fail/notfound', headers: { 'x-request-id': 'abc-123' } })
  t.equal(given.headers['x-request-id'], 'abc-123')
  const injected = await app.inject({ method: 'GET', url: '/fail/notfound', headers: { 'x-request-id': 'evil\nline "injection"' } })
  t.match(injected.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const none = await app.inject({ method: 'GET', url: '/fail/notfound' })
  t.match(none.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})
