// The shared kit: config, errors, logging, the Fastify base, metrics, health, database, Redis and NATS.
export * from './config.js'
export * from './settings.js'
export * from './errors.js'
export * from './logger.js'
export * from './fastify-options.js'
export * from './database.js'
export * from './nats.js'
export * from './dependency-failure.js'
export * from './safe-error.js'
export * from './pagination.js'
export * from './http-schemas.js'
export * from './batch-job.js'
export * from './ownership.js'
export { listen, listenOnBothPorts, runService, type ListenOptions } from './server.js'
export { kitPlugin } from './plugins/kit.js'
export { opsPlugin } from './plugins/ops.js'
export { errorHandlerPlugin, toAppError, sendError } from './plugins/error-handler.js'
export { metricsPlugin } from './plugins/metrics.js'
export { healthPlugin, type HealthCheck, type ReadinessReport } from './plugins/health.js'
export { databasePlugin } from './plugins/database.js'
export { redisPlugin } from './plugins/redis.js'
export { rateLimitPlugin, rateLimitSettings, type RateLimitOptions } from './plugins/rate-limit.js'
export { natsPlugin } from './plugins/nats.js'
export { outboxRelayPlugin, type OutboxRelayPluginOptions } from './plugins/outbox-relay.js'
export { createInbox, type Inbox, type InboxTable } from './inbox.js'
export { backgroundTaskPlugin, registerConsumer, type BackgroundTask, type ConsumerTask, type ConsumerHandle } from './plugins/background-task.js'
export { openApiPlugin, AUTH_REQUIRED } from './plugins/openapi.js'
export { authenticationPlugin, assertSameOrganization, assertSelfOrRole, type AuthenticationOptions } from './plugins/authentication.js'
export * from './auth/access-token.js'
export * from './auth/revocation.js'

import type { Database } from './database.js'
declare module 'fastify' {
  interface FastifyInstance {
    database: Database<Record<string, unknown>>
  }
}
export { createServiceApp, type ServiceAppConfig, type ServiceAppOptions } from './service-app.js'
