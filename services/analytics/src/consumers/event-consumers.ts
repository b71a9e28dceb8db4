// analytics' entry points for events: one durable consumer per stream it reads (accounts, organizations and
// classrooms, exams), each applying events through the one event applier (domain/apply-event.ts), in batches
// of what has arrived (one transaction each; one event at a time when a batch fails). After a commit the
// organizations whose data changed get a new cache version, each event's age is observed as the freshness
// lag, and an applied exam event sets the time the stale-analytics alert watches.
import { SERVICE_ACCESS, startConsumer, streamFor, type Envelope, type RunningConsumer } from '@dreamseed/events'
import type { FastifyInstance } from 'fastify'
import { Gauge, Histogram } from 'prom-client'
import { createBatchApplier, createEventApplier, type Applied } from '../domain/apply-event.js'

export interface ConsumerSettings {
  prefix: string
  maxDeliver: number
  backoffMs: number[]
  ackWaitMs: number
  /** Batches of exam events applied at once. */
  examConcurrency: number
  batchSize: number
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

/** What follows a commit: the cache versions, the lag and the last-event time, for the events it applied. */
function committed (app: FastifyInstance, metrics: ConsumerMetrics, stream: string) {
  return async (events: Array<{ envelope: Envelope<unknown> }>, outcomes: Applied[]): Promise<void> => {
    const now = Date.now()
    const organizations = new Set<string>()
    for (const [i, outcome] of outcomes.entries()) {
      if (!outcome.applied) continue
      metrics.lag.observe({ stream }, Math.max(0, (now - Date.parse(events[i]!.envelope.occurredAt)) / 1000))
      for (const o of outcome.organizations) organizations.add(o)
    }
    if (stream === 'exams' && outcomes.some((o) => o.applied)) metrics.lastExamEvent.set(now / 1000)
    await app.analyticsDeps.cache.invalidate([...organizations])
  }
}

function start (app: FastifyInstance, metrics: ConsumerMetrics, settings: ConsumerSettings, spec: { durable: string, type: string, filter?: string, concurrency: number, label: string }): RunningConsumer {
  const applyEvent = createEventApplier(app.analyticsDeps.db)
  const applyBatch = createBatchApplier(app.analyticsDeps.db)
  const after = committed(app, metrics, spec.label)
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
    batchSize: settings.batchSize,
    onDeadLetter: () => { app.metrics.deadLetters.inc({ consumer: spec.durable }) },
    handle: async (event) => {
      const applied = await applyEvent(event)
      await after([event], [applied])
      return applied.result
    },
    handleBatch: async (events) => {
      const applied = await applyBatch(events)
      await after(events, applied)
      return applied.map((a) => a.result)
    }
  })
}

// One batch at a time, in stream order: the projections are order-independent anyway, but a batch of session
// events locks its sessions' and exams' rows in the stream's order, so two batches at once may wait on each
// other (see ANALYTICS_EXAM_CONCURRENCY). A quiet stream's events go one by one, a busy one's in full batches.
export const startUserConsumer = (app: FastifyInstance, metrics: ConsumerMetrics, s: ConsumerSettings): RunningConsumer =>
  start(app, metrics, s, { durable: DURABLES.users, type: 'user.created', concurrency: 1, label: 'users' })
export const startOrganizationConsumer = (app: FastifyInstance, metrics: ConsumerMetrics, s: ConsumerSettings): RunningConsumer =>
  start(app, metrics, s, { durable: DURABLES.organizations, type: 'classroom.created', concurrency: 1, label: 'organizations' })
export const startExamConsumer = (app: FastifyInstance, metrics: ConsumerMetrics, s: ConsumerSettings): RunningConsumer =>
  start(app, metrics, s, { durable: DURABLES.exams, type: 'exam.session.started', concurrency: s.examConcurrency, label: 'exams' })
