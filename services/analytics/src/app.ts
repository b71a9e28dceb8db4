// Builds the analytics service: kit plugins, its database, Redis and NATS, access tokens checked with auth's
// keys, the consumers that keep its read models, the outbox relay for its promotions, and its routes. It
// never listens and never reads process.env: server.ts and tests hand it a config.
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import * as analyticsTables from '@dreamseed/schema/analytics'
import { asyncApiDocument } from '@dreamseed/events'
import { type ConsumerHandle, createServiceApp, type KeyResolver, outboxRelayPlugin, rateLimitPlugin, registerConsumer } from '@dreamseed/kit'
import type { AnalyticsConfig } from './config.js'
import type { AnalyticsDeps } from './domain/deps.js'
import { createRepositories } from './repositories/index.js'
import { createResponseCache } from './domain/response-cache.js'
import { defaultCalibrate, type CalibrateItem } from './domain/calibrate.js'
import { createConsumerMetrics, startExamConsumer, startOrganizationConsumer, startUserConsumer } from './consumers/event-consumers.js'
import studentRoutes from './routes/students/index.js'
import classroomRoutes from './routes/classrooms/index.js'
import itemRoutes from './routes/items/index.js'
import examRoutes from './routes/exams/index.js'
import scaleRoutes from './routes/scales/index.js'
import termRoutes from './routes/terms/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    analyticsDeps: AnalyticsDeps
    consumers: { started: () => Promise<void> }
  }
}

export interface BuildOptions {
  logger?: Logger
  /** A clock the tests can move. */
  now?: () => Date
  /** The key access tokens are checked with, instead of auth's JWKS (tests sign their own tokens). */
  authKeys?: KeyResolver
  /** Without the consumers (the rebuild test applies events itself). */
  consumers?: boolean
  calibrate?: CalibrateItem
}

export async function buildApp (config: AnalyticsConfig, options: BuildOptions = {}) {
  const app = await createServiceApp(config, {
    title: 'DreamSeed analytics',
    description: 'Student progress, classroom summaries, item statistics, exam summaries and online calibration, from read models built from the platform\'s events.',
    schema: analyticsTables,
    events: asyncApiDocument({ producer: 'analytics' }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.authKeys === undefined ? {} : { authKeys: options.authKeys })
  })
  // Before any route. Per signed-in user: a school's users often share one address; calibration fits, promotions and charts are stricter.
  await app.register(rateLimitPlugin, {
    service: 'analytics',
    per: 'user',
    max: config.rateLimitMax,
    strictMax: config.rateLimitStrictMax,
    windowSeconds: config.rateLimitWindowSeconds,
    strict: [/^\/analytics\/items\/:id\/(calibration|promote)$/, /\.svg$/],
    nameSpace: `${config.eventsPrefix}:analytics:rate-limit:`
  })

  await app.register(outboxRelayPlugin, { table: 'analytics.outbox', prefix: config.eventsPrefix, pollMs: config.outboxPollMs })
  app.decorate('analyticsDeps', {
    db: app.database.db,
    repositories: createRepositories(app.database.db),
    now: options.now ?? (() => new Date()),
    cache: createResponseCache({ redis: () => app.redis, prefix: config.eventsPrefix, ttlSeconds: config.cacheTtlSeconds, registry: app.metrics.registry, log: app.log }),
    eventsWritten: () => { app.eventsWritten() },
    calibrate: options.calibrate ?? defaultCalibrate,
    calibrationMinResponses: config.calibrationMinResponses,
    driftMinResponses: config.driftMinResponses,
    minRankGroup: config.minRankGroup
  })

  const handles: ConsumerHandle[] = []
  if (options.consumers !== false) {
    const metrics = createConsumerMetrics(app)
    const settings = { prefix: config.eventsPrefix, maxDeliver: config.consumerMaxDeliver, backoffMs: config.consumerBackoffMs, ackWaitMs: config.consumerAckWaitMs, examConcurrency: config.examConsumerConcurrency, batchSize: config.consumerBatchSize }
    handles.push(await registerConsumer(app, { name: 'user-consumer', start: (instance: FastifyInstance) => startUserConsumer(instance, metrics, settings) }))
    handles.push(await registerConsumer(app, { name: 'organization-consumer', start: (instance: FastifyInstance) => startOrganizationConsumer(instance, metrics, settings) }))
    handles.push(await registerConsumer(app, { name: 'exam-consumer', start: (instance: FastifyInstance) => startExamConsumer(instance, metrics, settings) }))
  }
  app.decorate('consumers', { started: async () => { await Promise.all(handles.map(async (h) => { await h.started() })) } })

  await app.register(studentRoutes)
  await app.register(classroomRoutes)
  await app.register(itemRoutes)
  await app.register(examRoutes)
  await app.register(scaleRoutes)
  await app.register(termRoutes)
  return app
}

export type AnalyticsApp = Awaited<ReturnType<typeof buildApp>>
export { loadAnalyticsConfig, analyticsSettings, type AnalyticsConfig } from './config.js'
export { DURABLES } from './consumers/event-consumers.js'
