// analytics' entry points for events: one durable consumer per stream it reads (accounts, organizations and
// classrooms, exams), each applying events through the one event applier (domain/apply-event.ts). After a
// commit the organizations whose data changed get a new cache version, the event's age is observed as the
// freshness lag, and an applied exam event sets the time the stale-analytics alert watches.
import { SERVICE_ACCESS, startConsumer, streamFor, type ReceivedEvent, type RunningConsumer } from '@dreamseed/events'
import type { FastifyInstance } from 'fastify'
import { Gauge, Histogram } from 'prom-client'
import { createEventApplier } from '../domain/apply-event.js'

export interface ConsumerSettings {
  prefix: string
  maxDeliver: number
  backoffMs: number[]
  ackWaitMs: number
  examConcurrency: number
}

/** Durable names, one per stream, from where analytics' NATS permissions are declared; a rebuild deletes them so the next start resumes from the stream's end. */
const declared = SERVICE_ACCESS.analytics.consumers
export const DURABLES = { users: declared.users.durable, organizations: declared.organizations.durable, exams: declared.exams.durable } as const

export interface ConsumerMetrics {
  lag: Histogram<'stream'>
  lastExamEvent: Gauge
}

export function createConsumerMetrics (app: FastifyInstance): ConsumerMetrics {
  return {
    lag: new Histogram({
      name: 'analytics_event_lag_seconds',
      help: 'Time from an event\'s occurredAt to the commit of its change to the read models',
      labelNames: ['stream'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600],
      registers: [app.metrics.registry]
    }),
    // 0 until this process applies its first exam event.
    lastExamEvent: new Gauge({
      name: 'dreamseed_analytics_last_event_timestamp_seconds',
      help: 'Unix time at which this process last applied an exam event to the read models',
      registers: [app.metrics.registry]
    })
  }
}

function handler (app: FastifyInstance, metrics: ConsumerMetrics, stream: string) {
  const applyEvent = createEventApplier(app.analyticsDeps.db)
  return async (event: ReceivedEvent) => {
    const applied = await applyEvent(event)
    if (applied.applied) {
      const now = Date.now()
      metrics.lag.observe({ stream }, Math.max(0, (now - Date.parse(event.envelope.occurredAt)) / 1000))
      if (stream === 'exams') metrics.lastExamEvent.set(now / 1000)
      await app.analyticsDeps.cache.invalidate(applied.organizations)
    }
    return applied.result
  }
}

function start (app: FastifyInstance, metrics: ConsumerMetrics, settings: ConsumerSettings, spec: { durable: string, type: string, filter?: string, concurrency: number, label: string }): RunningConsumer {
  return startConsumer({
    connection: async () => await app.nats.ready(),
    prefix: settings.prefix,
    stream: streamFor(settings.prefix, spec.type),
    durable: spec.durable,
    ...(spec.filter === undefined ? {} : { filterSubject: `${settings.prefix}.${spec.filter}` }),
    maxDeliver: settings.maxDeliver,
    backoffMs: settings.backoffMs,
    ackWaitMs: settings.ackWaitMs,
    concurrency: spec.concurrency,
    log: app.log,
    onDeadLetter: () => { app.metrics.deadLetters.inc({ consumer: spec.durable }) },
    handle: handler(app, metrics, spec.label)
  })
}

// Account and classroom events one at a time, in stream order; their projections are order-independent
// anyway, but there are few of them and the order keeps lock waits away.
export const startUserConsumer = (app: FastifyInstance, metrics: ConsumerMetrics, s: ConsumerSettings): RunningConsumer =>
  start(app, metrics, s, { durable: DURABLES.users, type: 'user.created', concurrency: 1, label: 'users' })
export const startOrganizationConsumer = (app: FastifyInstance, metrics: ConsumerMetrics, s: ConsumerSettings): RunningConsumer =>
  start(app, metrics, s, { durable: DURABLES.organizations, type: 'classroom.created', concurrency: 1, label: 'organizations' })
export const startExamConsumer = (app: FastifyInstance, metrics: ConsumerMetrics, s: ConsumerSettings): RunningConsumer =>
  start(app, metrics, s, { durable: DURABLES.exams, type: 'exam.session.started', concurrency: s.examConcurrency, label: 'exams' })
