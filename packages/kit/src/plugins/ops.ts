// The operational endpoints (metrics, health, the API documents) live on a port of their own, OPS_PORT, which
// only the cluster reaches (probes, Prometheus, operators); the public port serves the API alone, and those
// paths are 404 there. They are a second Fastify instance, `app.ops`, built with the app, with its error model
// and request ids, closed when the app closes (last: probes and scrapes answer while the app drains), and
// opened by kit's listen() after the API port. Tests reach it with `app.ops.inject(...)`.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { createFastify } from '../fastify-options.js'
import { errorHandlerPlugin } from './error-handler.js'

declare module 'fastify' {
  interface FastifyInstance {
    ops: FastifyInstance
  }
}

export const opsPlugin = fp(async (app: FastifyInstance) => {
  // Its lines carry server "ops", so "Server listening at …" says which port is which.
  const ops = createFastify({ serviceName: '', logLevel: '', bodyLimit: 1024, logger: app.log.child({ server: 'ops' }) as Logger, quietProbes: true })
  await ops.register(errorHandlerPlugin)
  app.decorate('ops', ops as unknown as FastifyInstance)
  app.addHook('onClose', async () => { await ops.close() })
}, { name: 'dreamseed-ops', fastify: '5.x' })
