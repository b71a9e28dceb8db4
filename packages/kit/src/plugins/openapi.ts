// Each service's OpenAPI document (GET /docs/json) and a UI to read it (GET /docs), generated from the API's
// route schemas and served on the operational port (app.ops) with the AsyncAPI document. Routes guarded by
// requireUser/requireRole are marked as needing a bearer token, and every route documents the shared error model.
import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, RouteOptions } from 'fastify'

export const AUTH_REQUIRED = Symbol.for('dreamseed.authRequired')

const ErrorModel = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', description: 'stable, machine-readable (e.g. VALIDATION_FAILED, AUTH_INVALID_CREDENTIALS)' },
        message: { type: 'string' },
        requestId: { type: 'string', description: 'quote it when reporting a problem' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } }
      }
    }
  }
}

const guarded = (route: RouteOptions): boolean => {
  // In onRequest on routes that take large bodies, so nobody unauthorized gets the body read.
  const handlers = [route.onRequest, route.preHandler].flatMap((h) => h === undefined ? [] : Array.isArray(h) ? h : [h])
  return handlers.some((h) => (h as unknown as Record<symbol, unknown>)[AUTH_REQUIRED] === true)
}

export interface OpenApiOptions {
  title: string
  description: string
  version?: string
  /** The AsyncAPI document of the events this service produces, served at GET /docs/asyncapi.json. */
  events?: Record<string, unknown>
}

export const openApiPlugin = fp(async (app: FastifyInstance, options: OpenApiOptions) => {
  app.addHook('onRoute', (route) => {
    const schema = (route.schema ?? {}) as Record<string, unknown>
    const responses = { ...(schema.response as Record<string, unknown> | undefined) }
    for (const status of ['4xx', '5xx']) responses[status] ??= ErrorModel
    const next: Record<string, unknown> = { ...schema, response: responses }
    if (guarded(route)) next.security = [{ bearerAuth: [] }]
    route.schema = next as typeof route.schema
  })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, description: options.description, version: options.version ?? '1.0.0' },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'an access token from POST /auth/login or POST /auth/token' } }
      }
    }
  })
  // The document describes the API instance's routes; the UI on the ops instance asks for it through the
  // name @fastify/swagger-ui depends on.
  await app.ops.register(fp(async (ops: FastifyInstance) => { ops.decorate('swagger', app.swagger.bind(app)) }, { name: '@fastify/swagger' }))
  await app.ops.register(swaggerUi, { routePrefix: '/docs' })
  const events = options.events
  if (events !== undefined) app.ops.get('/docs/asyncapi.json', async () => events)
}, { name: 'dreamseed-openapi', fastify: '5.x', dependencies: ['dreamseed-ops'] })
