// analytics' entry points for events: one durable consumer per stream it reads (accounts, organizations and
// classrooms, exams), each applying events through applyEvent. After a commit the organizations whose data
// changed get a new cache version, and the event's age is observed as the freshness lag.
import { startConsumer, streamFor, type ReceivedEvent, type RunningConsumer } from '@dreamseed/events'
import type { FastifyInstance } from 'fastify'
import { Histogram } from 'prom-client'
import { applyEvent } from '../domain/apply-event.js'

export interface ConsumerSettings {
  prefix: string
  maxDeliver: number
  backoffMs: number[]
  ackWaitMs: number
  examConcurrency: number
}

/** Durable names, one per stream; a rebuild deletes them so the next start resumes from the stream's end. */
export const DURABLES = { users: 'analytics-users', organizations: 'analytics-organizations', exams: 'analytics-exams' } as const

export function createLagHistogram (app: FastifyInstance): Histogram<'stream'> {
  return new Histogram({
    name: 'analytics_event_lag_seconds',
    help: 'Time from an event\'s occurredAt to the commit of its change to the read models',
    labelNames: ['stream'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600],
    registers: [app.metrics.registry]
  })
}

function handler (app: FastifyInstance, lag: Histogram<'stream'>, stream: string) {
  return async (event: ReceivedEvent) => {
    const applied = await applyEvent(app.analyticsDeps.db, event.envelope)
    if (applied.applied) {
      lag.observe({ stream }, Math.max(0, (Date.now() - Date.parse(event.envelope.occurredAt)) / 1000))
      await app.analyticsDeps.cache.invalidate(applied.organizations)
    }
    return applied.result
  }
}

function start (app: FastifyInstance, lag: Histogram<'stream'>, settings: ConsumerSettings, spec: { durable: string, type: string, filter?: string, concurrency: number, label: string }): RunningConsumer {
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
    handle: handler(app, lag, spec.label)
  })
}

// Account and classroom events one at a time, in stream order; their projections are order-independent
// anyway, but there are few of them and the order keeps lock waits away.
export const startUserConsumer = (app: FastifyInstance, lag: Histogram<'stream'>, s: ConsumerSettings): RunningConsumer =>
  start(app, lag, s, { durable: DURABLES.users, type: 'user.created', concurrency: 1, label: 'users' })
export const startOrganizationConsumer = (app: FastifyInstance, lag: Histogram<'stream'>, s: ConsumerSettings): RunningConsumer =>
  start(app, lag, s, { durable: DURABLES.organizations, type: 'classroom.created', concurrency: 1, label: 'organizations' })
export const startExamConsumer = (app: FastifyInstance, lag: Histogram<'stream'>, s: ConsumerSettings): RunningConsumer =>
  start(app, lag, s, { durable: DURABLES.exams, type: 'exam.session.started', concurrency: s.examConcurrency, label: 'exams' })
