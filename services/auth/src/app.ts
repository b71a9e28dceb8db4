// Builds the auth service: kit plugins, its database, Redis and NATS, the outbox relay, and its routes.
// It never listens and never reads process.env: server.ts and tests hand it a config.
import formBody from '@fastify/formbody'
import type { Logger } from 'pino'
import type { FastifyInstance } from 'fastify'
import * as authTables from '@dreamseed/schema/auth'
import { startOutboxRelay, type OutboxRelay } from '@dreamseed/events'
import { backgroundTaskPlugin, createFastify, databasePlugin, kitPlugin, natsPlugin, redisPlugin } from '@dreamseed/kit'
import type { AuthConfig } from './config.js'
import type { AuthDeps } from './domain/deps.js'
import { hashPassword } from './domain/passwords.js'
import registerRoutes from './routes/register/index.js'
import verificationRoutes from './routes/verification/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    authDeps: AuthDeps
  }
}

export interface BuildOptions {
  logger?: Logger
  /** A clock the tests can move. */
  now?: () => Date
}

export async function buildApp (config: AuthConfig, options: BuildOptions = {}) {
  const app = createFastify({ serviceName: config.serviceName, logLevel: config.logLevel, bodyLimit: config.bodyLimit, ...(options.logger === undefined ? {} : { logger: options.logger }) })
  await app.register(kitPlugin)
  await app.register(databasePlugin, { settings: config, schema: authTables })
  await app.register(redisPlugin, { url: config.redisUrl })
  await app.register(natsPlugin, { servers: config.natsUrl, name: config.serviceName })
  await app.register(formBody, { bodyLimit: config.bodyLimit })

  let relay: OutboxRelay | undefined
  app.decorate('authDeps', {
    db: app.database.db,
    sealKey: config.tokenSealKey,
    verificationTtlHours: config.verificationTtlHours,
    resendIntervalSeconds: config.resendIntervalSeconds,
    hashPassword,
    now: options.now ?? (() => new Date()),
    eventsWritten: () => { relay?.poke() }
  })
  await app.register(backgroundTaskPlugin, {
    name: 'outbox-relay',
    start: (instance: FastifyInstance) => startOutboxRelay({ sql: instance.database.sql, table: 'auth.outbox', connection: instance.nats, prefix: config.eventsPrefix, log: instance.log, pollMs: config.outboxPollMs }),
    onStarted: (task: OutboxRelay) => { relay = task }
  })

  await app.register(registerRoutes)
  await app.register(verificationRoutes)
  return app
}

export type AuthApp = Awaited<ReturnType<typeof buildApp>>
export { loadAuthConfig, authSettings, type AuthConfig } from './config.js'
