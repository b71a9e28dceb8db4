import t from 'tap'
import { generateKeyPairSync } from 'node:crypto'
import { Type } from 'typebox'
import { authenticationPlugin, createFastify, kitPlugin, openApiPlugin } from '../src/index.js'
import { captureLogger } from '@dreamseed/testing'

t.test('the OpenAPI document lists every route with its schemas, the error model, and which routes need a token', async (t) => {
  const { publicKey } = generateKeyPairSync('ed25519')
  const app = createFastify({ serviceName: 'doc-test', logLevel: 'silent', bodyLimit: 1024, logger: captureLogger('silent').logger })
  await app.register(kitPlugin)
  await app.register(openApiPlugin, { title: 'Doc test', description: 'A service' })
  await app.register(authenticationPlugin, { keys: { key: publicKey }, issuer: 'i', audience: 'a' })
  await app.register(async (scope) => {
    scope.post('/things', { schema: { body: Type.Object({ name: Type.String({ maxLength: 10 }) }, { additionalProperties: false }), response: { 201: Type.Object({ id: Type.String() }) } } }, async (_r, reply) => reply.code(201).send({ id: '1' }))
    scope.get('/things/:id', { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) }, preHandler: scope.requireUser }, async () => ({}))
    scope.delete('/things/:id', { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) }, preHandler: scope.requireRole('admin') }, async () => ({}))
  })
  await app.ready()
  t.teardown(() => app.close())

  const res = await app.ops.inject({ method: 'GET', url: '/docs/json' })
  t.equal(res.statusCode, 200)
  const doc = res.json()
  t.equal(doc.openapi, '3.1.0')
  t.equal(doc.info.title, 'Doc test')
  t.same(Object.keys(doc.paths).sort(), ['/things', '/things/{id}'], 'health, metrics and docs are not listed')
  const post = doc.paths['/things'].post
  t.equal(post.requestBody.content['application/json'].schema.properties.name.maxLength, 10)
  t.ok(post.responses['201'])
  t.match(post.responses['4XX'].content['application/json'].schema.properties.error.required, ['code', 'message', 'requestId'])
  t.equal(post.security, undefined, 'an open route needs no token')
  t.same(doc.paths['/things/{id}'].get.security, [{ bearerAuth: [] }])
  t.same(doc.paths['/things/{id}'].delete.security, [{ bearerAuth: [] }])
  t.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer')
  const ui = await app.ops.inject({ method: 'GET', url: '/docs' })
  t.ok(ui.statusCode === 200 || ui.statusCode === 302, `the UI answers (${ui.statusCode})`)
})
