// Builds the auth service: kit plugins, its database, Redis and NATS, the outbox relay, the session cleanup
// job, and its routes. It never listens and never reads process.env: server.ts and tests hand it a config.
import formBody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { Counter } from 'prom-client'
import * as authTables from '@dreamseed/schema/auth'
import { asyncApiDocument } from '@dreamseed/events'
import { authenticationPlugin, backgroundTaskPlugin, createFastify, databasePlugin, kitPlugin, natsPlugin, openApiPlugin, outboxRelayPlugin, rateLimitPlugin, redisPlugin } from '@dreamseed/kit'
import type { AuthConfig } from './config.js'
import type { AuthDeps } from './domain/deps.js'
import { hashPassword, makeDummyHash } from './domain/passwords.js'
import { createSigner } from './domain/signing-key.js'
import { createRepositories } from './repositories/index.js'
import { startSessionCleanup, type SessionCleanup } from './jobs/session-cleanup.js'
import registerRoutes from './routes/register/index.js'
import verificationRoutes from './routes/verification/index.js'
import sessionRoutes from './routes/sessions/index.js'
import meRoutes from './routes/me/index.js'
import organizationRoutes from './routes/organizations/index.js'
import invitationRoutes from './routes/invitations/index.js'
import userRoutes from './routes/users/index.js'
import classroomRoutes from './routes/classrooms/index.js'
import accommodationRoutes from './routes/accommodations/index.js'
import auditRoutes from './routes/audit/index.js'
import passwordRoutes from './routes/password/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    authDeps: AuthDeps
    sessionCleanup: () => SessionCleanup | undefined
  }
}

export interface BuildOptions {
  logger?: Logger
  /** A clock the tests can move. */
  now?: () => Date
}

export async function buildApp (config: AuthConfig, options: BuildOptions = {}) {
  const app = createFastify({ serviceName: config.serviceName, logLevel: config.logLevel, logPretty: config.logPretty, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, ...(options.logger === undefined ? {} : { logger: options.logger }) })
  await app.register(kitPlugin)
  await app.register(openApiPlugin, { title: 'DreamSeed auth', description: 'Registration, verification, sign-in, sessions, accounts, organizations and classrooms. Errors: {"error":{"code","message","requestId"}}.', events: asyncApiDocument({ producer: 'auth' }) })
  await app.register(databasePlugin, { settings: config, schema: authTables })
  await app.register(redisPlugin, { url: config.redisUrl })
  await app.register(natsPlugin, { servers: config.natsUrl, name: config.serviceName, user: config.natsUser, password: config.natsPassword })
  await app.register(formBody, { bodyLimit: config.bodyLimit })
  // Before any route, so every route after it is limited (health and metrics never are). Per client address:
  // most of auth's routes are used before signing in. Those that cost a password hash or send mail are stricter.
  await app.register(rateLimitPlugin, {
    service: 'auth',
    per: 'address',
    max: config.rateLimitMax,
    strictMax: config.rateLimitStrictMax,
    windowSeconds: config.rateLimitWindowSeconds,
    strict: [/^\/auth\/login$/, /^\/auth\/register$/, /^\/auth\/password\//, /^\/auth\/verification\/resend$/],
    nameSpace: `${config.eventsPrefix}:auth:rate-limit:`
  })

  const signer = await createSigner({ current: config.signingKey, next: config.signingKeyNext, previous: config.signingKeyPrevious }, { issuer: config.issuer, audience: config.audience, ttlSeconds: config.accessTokenTtlSeconds })
  await app.register(authenticationPlugin, { keys: { key: signer.verificationKeys }, issuer: config.issuer, audience: config.audience, redis: () => app.redis })

  const revocationFailures = new Counter({ name: 'auth_revocation_publish_failures_total', help: 'Session revocations that could not be written to Redis (the database still holds them)', registers: [app.metrics.registry] })
  const throttleSkipped = new Counter({ name: 'auth_login_throttle_skipped_total', help: 'Login attempts not counted or checked for failed logins because Redis was unreachable', registers: [app.metrics.registry] })
  const sessionsRemoved = new Counter({ name: 'auth_sessions_removed_total', help: 'Expired or ended sessions deleted by the cleanup job', registers: [app.metrics.registry] })
  const now = options.now ?? (() => new Date())
  let cleanup: SessionCleanup | undefined
  await app.register(outboxRelayPlugin, { table: 'auth.outbox', prefix: config.eventsPrefix, pollMs: config.outboxPollMs })
  app.decorate('authDeps', {
    repos: createRepositories(app.database.db),
    redis: app.redis,
    signer,
    sessions: { idleTimeoutSeconds: config.sessionIdleTimeoutSeconds, absoluteTimeoutSeconds: config.sessionAbsoluteTimeoutSeconds },
    sealKey: config.tokenSealKey,
    verificationTtlHours: config.verificationTtlHours,
    resendIntervalSeconds: config.resendIntervalSeconds,
    passwordResetTtlMinutes: config.passwordResetTtlMinutes,
    passwordResetIntervalSeconds: config.passwordResetIntervalSeconds,
    invitations: { ttlHours: config.invitationTtlHours, resendIntervalSeconds: config.invitationResendIntervalSeconds, maxPending: config.invitationsMaxPending },
    hashPassword,
    dummyHash: await makeDummyHash(),
    now,
    eventsWritten: () => { app.eventsWritten() },
    revocationFailed: (err) => { revocationFailures.inc(); app.log.error({ err }, 'revocation not written to redis') },
    loginThrottle: {
      keyPrefix: config.eventsPrefix,
      accountFreeFailures: config.loginFreeFailures,
      accountCapFreeFailures: config.loginAccountFreeFailures,
      ipFreeFailures: config.loginIpFreeFailures,
      baseDelaySeconds: config.loginBaseDelaySeconds,
      maxDelaySeconds: config.loginMaxDelaySeconds,
      windowSeconds: config.loginWindowSeconds,
      unavailable: (err) => { throttleSkipped.inc(); app.log.warn({ err }, 'failed logins not counted: redis unreachable') }
    }
  })
  app.decorate('sessionCleanup', () => cleanup)
  await app.register(backgroundTaskPlugin, {
    name: 'session-cleanup',
    start: (instance: FastifyInstance) => startSessionCleanup({ sessions: instance.authDeps.repos.sessions, intervalMs: config.sessionCleanupIntervalSeconds * 1000, batch: config.sessionCleanupBatch, now, removed: (n) => sessionsRemoved.inc(n), log: instance.log }),
    onStarted: (task: SessionCleanup) => { cleanup = task }
  })

  await app.register(registerRoutes)
  await app.register(verificationRoutes)
  await app.register(sessionRoutes)
  await app.register(meRoutes)
  await app.register(organizationRoutes)
  await app.register(invitationRoutes)
  await app.register(userRoutes)
  await app.register(classroomRoutes)
  await app.register(accommodationRoutes)
  await app.register(passwordRoutes)
  await app.register(auditRoutes)
  return app
}

export type AuthApp = Awaited<ReturnType<typeof buildApp>>
export { loadAuthConfig, authSettings, type AuthConfig } from './config.js'
