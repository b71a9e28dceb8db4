// Builds the exam service: kit plugins, its database, Redis and NATS, access tokens checked with auth's
// keys, the outbox relay, and its routes. It never listens and never reads process.env: server.ts and
// tests hand it a config.
import { randomInt } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { Counter } from 'prom-client'
import * as examTables from '@dreamseed/schema/exam'
import { asyncApiDocument } from '@dreamseed/events'
import { backgroundTaskPlugin, type ConsumerHandle, createServiceApp, type KeyResolver, outboxRelayPlugin, rateLimitPlugin, registerConsumer } from '@dreamseed/kit'
import type { ExamConfig } from './config.js'
import type { ExamDeps } from './domain/deps.js'
import { createBankCache } from './domain/bank-cache.js'
import { createSessionCache } from './domain/session-cache.js'
import { createRepositories } from './repositories/index.js'
import itemRoutes from './routes/items/index.js'
import examRoutes from './routes/exams/index.js'
import sessionRoutes from './routes/sessions/index.js'
import passageRoutes from './routes/passages/index.js'
import proctoringRoutes from './routes/proctoring/index.js'
import { startAccommodationConsumer, startClassroomConsumer, startPromotionConsumer } from './consumers/event-consumers.js'
import { startSessionExpiry, type SessionExpiry } from './jobs/session-expiry.js'
import { endSessionsPastWindow, expireDueSessions, suspendIdleSessions } from './domain/expire-sessions.js'
import { startItemTiming, type ItemTimingJob } from './jobs/item-timing.js'
import { refreshItemTiming } from './domain/item-timing.js'

declare module 'fastify' {
  interface FastifyInstance {
    examDeps: ExamDeps
    classroomConsumer: ConsumerHandle
    accommodationConsumer: ConsumerHandle
    promotionConsumer: ConsumerHandle
    sessionExpiry: () => SessionExpiry | undefined
    itemTiming: () => ItemTimingJob | undefined
  }
}

export interface BuildOptions {
  logger?: Logger
  /** A clock the tests can move. */
  now?: () => Date
  /** The key access tokens are checked with, instead of auth's JWKS (tests sign their own tokens). */
  authKeys?: KeyResolver
  /** Seeds of new sessions' item choices (tests fix it). */
  newSeed?: () => number
}

export async function buildApp (config: ExamConfig, options: BuildOptions = {}) {
  const app = await createServiceApp(config, {
    title: 'DreamSeed exam',
    description: 'The item bank, fixed and computerized adaptive exams, and students\' sessions.',
    schema: examTables,
    events: asyncApiDocument({ producer: 'exam' }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.authKeys === undefined ? {} : { authKeys: options.authKeys })
  })
  // Before any route. Per signed-in user: a school's users often share one address; the import (up to 20 MB parsed and written) is stricter.
  await app.register(rateLimitPlugin, {
    service: 'exam',
    per: 'user',
    max: config.rateLimitMax,
    strictMax: config.rateLimitStrictMax,
    windowSeconds: config.rateLimitWindowSeconds,
    strict: [/^\/exam\/items\/import$/],
    nameSpace: `${config.eventsPrefix}:exam:rate-limit:`
  })

  const uncachedBanks = new Counter({ name: 'exam_bank_uncached_loads_total', help: 'Item banks read from Postgres and not kept because they hold more than EXAM_BANK_CACHE_MAX_ITEMS items', registers: [app.metrics.registry] })
  await app.register(outboxRelayPlugin, { table: 'exam.outbox', prefix: config.eventsPrefix, pollMs: config.outboxPollMs })
  const repos = createRepositories(app.database)
  app.decorate('examDeps', {
    repos,
    now: options.now ?? (() => new Date()),
    eventsWritten: () => { app.eventsWritten() },
    bank: createBankCache(repos.itemBank.load, {
      maxOrganizations: config.bankCacheOrganizations,
      maxItems: config.bankCacheMaxItems,
      totalItems: config.bankCacheTotalItems,
      overCap: (organizationId, items) => {
        uncachedBanks.inc()
        app.log.warn({ organizationId, items, max: config.bankCacheMaxItems }, 'item bank larger than EXAM_BANK_CACHE_MAX_ITEMS: read, not kept')
      }
    }),
    sessions: createSessionCache(config.sessionCacheSize),
    importMaxItems: config.importMaxItems,
    pauses: { suspendAfterMs: config.suspendAfterSeconds * 1000, resumeWindowMs: config.resumeWindowDays * 86_400_000 },
    proctoring: { maxExtensionS: config.maxExtensionSeconds },
    effort: { defaultThresholdMs: config.rapidGuessDefaultMs, flagBelow: config.effortFlagBelow },
    newSeed: options.newSeed ?? (() => randomInt(0, 2 ** 31))
  })

  const consumerSettings = { prefix: config.eventsPrefix, maxDeliver: config.consumerMaxDeliver, backoffMs: config.consumerBackoffMs, ackWaitMs: config.consumerAckWaitMs }
  app.decorate('classroomConsumer', await registerConsumer(app, { name: 'classroom-consumer', start: (instance: FastifyInstance) => startClassroomConsumer(instance, consumerSettings) }))
  app.decorate('accommodationConsumer', await registerConsumer(app, { name: 'accommodation-consumer', start: (instance: FastifyInstance) => startAccommodationConsumer(instance, consumerSettings) }))
  app.decorate('promotionConsumer', await registerConsumer(app, { name: 'promotion-consumer', start: (instance: FastifyInstance) => startPromotionConsumer(instance, consumerSettings) }))

  const expired = new Counter({ name: 'exam_sessions_expired_total', help: 'Sessions ended by the expiry job after their time limit', registers: [app.metrics.registry] })
  const suspended = new Counter({ name: 'exam_sessions_suspended_total', help: 'Sessions in progress suspended by the expiry job after EXAM_SUSPEND_AFTER_S without activity', registers: [app.metrics.registry] })
  const windowEnded = new Counter({ name: 'exam_sessions_window_ended_total', help: 'Paused or suspended sessions ended by the expiry job after their resume window (EXAM_RESUME_WINDOW_DAYS)', registers: [app.metrics.registry] })
  let expiry: SessionExpiry | undefined
  app.decorate('sessionExpiry', () => expiry)
  await app.register(backgroundTaskPlugin, {
    name: 'session-expiry',
    start: (instance: FastifyInstance) => startSessionExpiry({
      steps: [
        { run: async () => await suspendIdleSessions(instance.examDeps, config.expiryBatch), handled: (n) => suspended.inc(n) },
        { run: async () => await endSessionsPastWindow(instance.examDeps, config.expiryBatch), handled: (n) => windowEnded.inc(n) },
        { run: async () => await expireDueSessions(instance.examDeps, config.expiryBatch), handled: (n) => expired.inc(n) }
      ],
      batch: config.expiryBatch,
      intervalMs: config.expiryIntervalSeconds * 1000,
      log: instance.log
    }),
    onStarted: (task: SessionExpiry) => { expiry = task }
  })

  let timing: ItemTimingJob | undefined
  app.decorate('itemTiming', () => timing)
  const timingRules = { share: config.rapidGuessShare, floorMs: config.rapidGuessFloorMs, capMs: config.rapidGuessCapMs, minResponses: config.rapidGuessMinResponses, everyMs: config.itemTimingIntervalSeconds * 1000 }
  await app.register(backgroundTaskPlugin, {
    name: 'item-timing',
    start: (instance: FastifyInstance) => startItemTiming({
      refresh: async () => await refreshItemTiming(instance.examDeps, timingRules),
      intervalMs: config.itemTimingIntervalSeconds * 1000,
      log: instance.log
    }),
    onStarted: (task: ItemTimingJob) => { timing = task }
  })

  await app.register(itemRoutes, { importBodyLimit: config.importBodyLimit })
  await app.register(examRoutes)
  await app.register(sessionRoutes)
  await app.register(passageRoutes)
  await app.register(proctoringRoutes)
  return app
}

export type ExamApp = Awaited<ReturnType<typeof buildApp>>
export { loadExamConfig, examSettings, type ExamConfig } from './config.js'
