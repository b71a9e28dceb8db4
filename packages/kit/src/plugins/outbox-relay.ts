// Publishes a service's outbox for the life of the app (a background task started once the app is ready) and
// lets the use cases wake it right after a transaction that wrote events commits, instead of waiting a poll.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { startOutboxRelay, type OutboxRelay } from '@dreamseed/events'
import { backgroundTaskPlugin } from './background-task.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The running relay (undefined before the app is ready). */
    outboxRelay: () => OutboxRelay | undefined
    /** Call after a transaction that wrote to the outbox has committed. */
    eventsWritten: () => void
  }
}

export interface OutboxRelayPluginOptions {
  /** schema-qualified outbox table, e.g. exam.outbox */
  table: string
  /** the deployment's EVENTS_PREFIX */
  prefix: string
  pollMs: number
}

export const outboxRelayPlugin = fp(async (app: FastifyInstance, options: OutboxRelayPluginOptions) => {
  let relay: OutboxRelay | undefined
  app.decorate('outboxRelay', () => relay)
  app.decorate('eventsWritten', () => { relay?.poke() })
  await app.register(backgroundTaskPlugin, {
    name: 'outbox-relay',
    start: (instance: FastifyInstance) => startOutboxRelay({ sql: instance.database.sql, table: options.table, connection: instance.nats, prefix: options.prefix, log: instance.log, pollMs: options.pollMs, metrics: instance.metrics.registry }),
    onStarted: (task: OutboxRelay) => { relay = task }
  })
}, { name: 'dreamseed-outbox-relay', fastify: '5.x', dependencies: ['dreamseed-database', 'dreamseed-nats', 'dreamseed-metrics'] })
