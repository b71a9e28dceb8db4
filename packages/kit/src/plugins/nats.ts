// Decorates the app with its NATS handle, reports it to readiness (degraded, not down: the outbox and
// JetStream redelivery cover an outage), and drains it when the app closes.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createNatsHandle, type NatsConnectionSettings, type NatsHandle } from '../nats.js'

declare module 'fastify' {
  interface FastifyInstance {
    nats: NatsHandle
  }
}

export const natsPlugin = fp(async (app: FastifyInstance, options: NatsConnectionSettings & { critical?: boolean }) => {
  const handle = createNatsHandle({ servers: options.servers, name: options.name, user: options.user, password: options.password, log: app.log })
  app.decorate('nats', handle)
  app.health.add({
    name: 'nats',
    critical: options.critical ?? false,
    check: async () => {
      const nc = handle.current()
      if (nc === undefined || !handle.connected()) throw new Error('not connected')
      await nc.rtt()
    }
  })
  app.addHook('onClose', async () => { await handle.close(); app.log.debug('nats drained') })
}, { name: 'dreamseed-nats', fastify: '5.x', dependencies: ['dreamseed-health'] })
