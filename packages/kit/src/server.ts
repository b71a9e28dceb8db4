// What every service's server.ts does: build the app, listen, and on SIGTERM/SIGINT stop accepting,
// let in-flight requests finish, then close plugins in reverse order (consumers, relay, NATS, pool).
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export async function listen (app: FastifyInstance, options: { host: string, port: number, shutdownTimeoutMs: number }): Promise<void> {
  closeWithGrace({ delay: options.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'stopping after an uncaught error')
    else app.log.info({ signal }, 'stopping')
    await app.close()
  })
  await app.listen({ host: options.host, port: options.port })
}
