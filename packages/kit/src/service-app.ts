// The start every service that serves authenticated routes shares: the Fastify instance, the kit (errors,
// metrics, health), its OpenAPI (and AsyncAPI) documents, its database, Redis and NATS, and access tokens
// checked with auth's keys. The service then adds its own use cases, background tasks and routes.
import type { Logger } from 'pino'
import { createFastify } from './fastify-options.js'
import { kitPlugin } from './plugins/kit.js'
import { openApiPlugin } from './plugins/openapi.js'
import { databasePlugin } from './plugins/database.js'
import { redisPlugin } from './plugins/redis.js'
import { natsPlugin } from './plugins/nats.js'
import { authenticationPlugin } from './plugins/authentication.js'
import type { KeyResolver } from './auth/access-token.js'
import type { CommonConfig } from './settings.js'

export interface ServiceAppConfig extends CommonConfig {
  redisUrl: string
  authJwksUrl: string
  authIssuer: string
  authAudience: string
}

export interface ServiceAppOptions {
  title: string
  description: string
  /** The service's tables, for drizzle's relational queries. */
  schema: Record<string, unknown>
  /** The AsyncAPI document of the events it produces. */
  events?: Record<string, unknown>
  logger?: Logger
  /** The key access tokens are checked with, instead of auth's JWKS (tests sign their own tokens). */
  authKeys?: KeyResolver
}

export async function createServiceApp (config: ServiceAppConfig, options: ServiceAppOptions) {
  const app = createFastify({ serviceName: config.serviceName, logLevel: config.logLevel, logPretty: config.logPretty, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, ...(options.logger === undefined ? {} : { logger: options.logger }) })
  await app.register(kitPlugin)
  await app.register(openApiPlugin, { title: options.title, description: `${options.description} Errors: {"error":{"code","message","requestId"}}.`, ...(options.events === undefined ? {} : { events: options.events }) })
  await app.register(databasePlugin, { settings: config, schema: options.schema })
  await app.register(redisPlugin, { url: config.redisUrl })
  await app.register(natsPlugin, { servers: config.natsUrl, name: config.serviceName, user: config.natsUser, password: config.natsPassword })
  await app.register(authenticationPlugin, {
    keys: options.authKeys === undefined ? { jwksUrl: config.authJwksUrl } : { key: options.authKeys },
    issuer: config.authIssuer,
    audience: config.authAudience,
    redis: () => app.redis
  })
  return app
}
