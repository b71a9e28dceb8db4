// What every service's server.ts does: build the app, listen, and on SIGTERM/SIGINT stop accepting,
// let in-flight requests finish, then close plugins in reverse order (consumers, relay, NATS, pool).
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { ConfigError } from './config.js'

export async function listen (app: FastifyInstance, options: { host: string, port: number, shutdownTimeoutMs: number }): Promise<void> {
  closeWithGrace({ delay: options.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'stopping after an uncaught error')
    else app.log.info({ signal }, 'stopping')
    await app.close()
  })
  await app.listen({ host: options.host, port: options.port })
}

/** A service's whole server.ts: read and check the config (exit 1 listing every problem), build, listen. */
export async function runService<C extends { host: string, port: number, shutdownTimeoutMs: number }> (name: string, load: () => C, build: (config: C) => Promise<FastifyInstance>): Promise<void> {
  let config: C
  try {
    config = load()
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${name}: ${err.message}\n`)
    process.exit(1)
  }
  await listen(await build(config), config)
}
