// Registers what every service has regardless of its dependencies: the error model, the operational port
// (app.ops), metrics, health, and a clean shutdown of keep-alive connections.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { errorHandlerPlugin } from './error-handler.js'
import { opsPlugin } from './ops.js'
import { metricsPlugin } from './metrics.js'
import { healthPlugin } from './health.js'

export const kitPlugin = fp(async (app: FastifyInstance) => {
  await app.register(errorHandlerPlugin)
  await app.register(opsPlugin)
  await app.register(metricsPlugin)
  await app.register(healthPlugin)
  endConnectionsWhenClosing(app)
  endConnectionsWhenClosing(app.ops)
}, { name: 'dreamseed-kit', fastify: '5.x' })

// Node closes the connections that are idle when the server starts closing, but a keep-alive connection
// whose request was still in flight stays open after its answer, and the close would wait for it until the
// keep-alive timeout. Answers sent while closing therefore end their connection.
function endConnectionsWhenClosing (instance: FastifyInstance): void {
  let closing = false
  instance.addHook('preClose', async () => { closing = true })
  instance.addHook('onSend', async (_request, reply) => { if (closing) void reply.header('connection', 'close') })
}
