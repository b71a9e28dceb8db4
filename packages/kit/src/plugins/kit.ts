// Registers what every service has regardless of its dependencies: the error model, metrics and health.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { errorHandlerPlugin } from './error-handler.js'
import { metricsPlugin } from './metrics.js'
import { healthPlugin } from './health.js'

export const kitPlugin = fp(async (app: FastifyInstance) => {
  await app.register(errorHandlerPlugin)
  await app.register(metricsPlugin)
  await app.register(healthPlugin)
}, { name: 'dreamseed-kit', fastify: '5.x' })
