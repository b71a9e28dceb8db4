import t from 'tap'
import { Writable } from 'node:stream'
import pino from 'pino'
import { createFastify, loggerOptions, serializeRequest, withoutQueryStrings } from '../src/index.js'
import { buildKitApp } from './helper.js'

const SECRET = 'SECRET-9f2c1a'

function requestLines (lines: Array<Record<string, unknown>>, url: string) {
  return lines.filter((l) => (l.req as { url?: string } | undefined)?.url === url)
}

t.test('the request serializer keeps the path and drops the query string', async (t) => {
  t.same(serializeRequest({ method: 'GET', url: `/auth/verify?token=${SECRET}`, ip: '127.0.0.1', host: 'localhost' }),
    { method: 'GET', url: '/auth/verify', host: 'localhost', remoteAddress: '127.0.0.1', remotePort: undefined })
  t.equal(serializeRequest({ url: `/auth/password/reset?x=1&token=${SECRET}#frag` }).url, '/auth/password/reset')
  t.equal(serializeRequest({ url: '/auth/me' }).url, '/auth/me', 'a URL without a query is unchanged')
})

t.test('a service logger writes neither query strings nor token and password fields', async (t) => {
  const lines: string[] = []
  const log = pino(loggerOptions('info', 'auth', false), new Writable({ write (c: Buffer, _e, cb) { lines.push(c.toString()); cb() } }))
  log.info({ req: { method: 'GET', url: `/auth/verify?token=${SECRET}` } }, 'incoming request')
  log.info({ body: { sessionToken: SECRET, accessToken: SECRET, newPassword: SECRET, currentPassword: SECRET, joinCode: SECRET } }, 'body')
  const [request, body] = lines.map((l) => JSON.parse(l) as { req?: { url?: string }, body?: unknown })
  t.equal(request?.req?.url, '/auth/verify')
  t.same(body?.body, { sessionToken: '[redacted]', accessToken: '[redacted]', newPassword: '[redacted]', currentPassword: '[redacted]', joinCode: '[redacted]' })
  t.notMatch(lines.join(''), SECRET)
})

t.test('no request line carries a query string: a match, a 404 and a 500', async (t) => {
  const { app, log } = await buildKitApp(t, (app) => {
    app.get('/echo', async () => ({ ok: true }))
    app.get('/boom', async () => { throw new Error('kaboom') })
  })
  t.equal((await app.inject({ url: `/echo?token=${SECRET}&sessionToken=${SECRET}&code=${SECRET}` })).statusCode, 200)
  t.equal((await app.inject({ url: `/nowhere?token=${SECRET}` })).statusCode, 404)
  t.equal((await app.inject({ url: `/boom?token=${SECRET}` })).statusCode, 500)
  t.notMatch(log.text(), SECRET, 'no line contains the secret')
  t.ok(requestLines(log.lines, '/echo').length > 0, 'the matched request is logged by its path')
  t.ok(requestLines(log.lines, '/nowhere').length > 0, 'the 404 is logged by its path')
  t.ok(requestLines(log.lines, '/boom').length > 0, 'the failed request is logged by its path')
  t.ok(log.lines.some((l) => l.msg === 'unhandled error'), 'the 500 was logged')
})

t.test('Fastify\'s own warnings about a route name its path only', async (t) => {
  t.equal(withoutQueryStrings(`in the "/auth/verify?token=${SECRET}" (GET) route`), 'in the "/auth/verify" (GET) route')
  t.equal(withoutQueryStrings(`GET:/x?a=1&token=${SECRET}#f and https://h/y#${SECRET}'s`), 'GET:/x and https://h/y\'s')
  t.equal(withoutQueryStrings('did you forget? 50% #1'), 'did you forget? 50% #1', 'a question mark outside a URL stays')
  t.equal(withoutQueryStrings('/'.repeat(50_000) + '?'), '/'.repeat(50_000), 'a long run of slashes is one word, cut once')

  const lines: string[] = []
  const logger = pino(loggerOptions('info', 'kit-test', false), new Writable({ write (c: Buffer, _e, cb) { lines.push(c.toString()); cb() } }))
  const app = createFastify({ serviceName: 'kit-test', logLevel: 'info', bodyLimit: 1024, logger })
  // A route that answers twice: Fastify warns with the raw URL in an error and in a message.
  app.get('/twice', async (_request, reply) => {
    await reply.send({ first: true })
    reply.send({ second: true })
    return reply
  })
  app.get('/head-twice', (_request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/plain' })
    reply.raw.end('raw')
    reply.send('again')
  })
  t.teardown(async () => { await app.close() })
  t.equal((await app.inject({ url: `/twice?token=${SECRET}` })).statusCode, 200)
  await app.inject({ url: `/head-twice?token=${SECRET}` })
  const text = lines.join('')
  t.match(text, /Reply was already sent/, 'Fastify warned about the second answer')
  t.match(text, /\/twice/, 'the warning names the route by its path')
  t.notMatch(text, SECRET, 'no line carries the query string')
})

t.test('probes and scrapes stay out of the ops port\'s request log; the same paths on the API port are logged', async (t) => {
  const { app, log } = await buildKitApp(t)
  t.equal((await app.ops.inject({ url: '/health/live' })).statusCode, 200)
  t.equal((await app.ops.inject({ url: '/metrics' })).statusCode, 200)
  t.same([...requestLines(log.lines, '/health/live'), ...requestLines(log.lines, '/metrics')], [], 'no line for a probe or a scrape')
  t.equal((await app.inject({ url: '/metrics' })).statusCode, 404)
  t.ok(requestLines(log.lines, '/metrics').length > 0, 'a stranger asking the API port for /metrics is logged')
})
