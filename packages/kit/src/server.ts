// What every service's server.ts does: build the app, listen on the API port and then on the operational one,
// and on SIGTERM/SIGINT stop accepting, let in-flight requests finish, then close plugins in reverse order
// (consumers, relay, NATS, pool, and last the operational port).
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { ConfigError } from './config.js'

export interface ListenOptions {
  host: string
  port: number
  opsPort: number
}

/**
 * Opens both ports: the API's, then the operational one (app.ops), so readiness is never reported by a
 * process whose API is not listening yet. Resolves with both addresses (port 0 lets the system choose).
 */
export async function listenOnBothPorts (app: FastifyInstance, options: ListenOptions): Promise<{ url: string, opsUrl: string }> {
  await app.listen({ host: options.host, port: options.port })
  await app.ops.listen({ host: options.host, port: options.opsPort })
  const urlOf = (instance: FastifyInstance): string => {
    const address = instance.server.address()
    if (address === null || typeof address === 'string') throw new Error('expected a TCP address')
    return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
  }
  return { url: urlOf(app), opsUrl: urlOf(app.ops) }
}

export async function listen (app: FastifyInstance, options: ListenOptions & { shutdownTimeoutMs: number }): Promise<void> {
  closeWithGrace({ delay: options.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'stopping after an uncaught error')
    else app.log.info({ signal }, 'stopping')
    await app.close()
  })
  await listenOnBothPorts(app, options)
}

/** A service's whole server.ts: read and check the config (exit 1 listing every problem), build, listen. */
export async function runService<C extends ListenOptions & { shutdownTimeoutMs: number }> (name: string, load: () => C, build: (config: C) => Promise<FastifyInstance>): Promise<void> {
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
