// A NATS connection that a service can start without: it connects in the background and keeps
// reconnecting forever, so auth registers users (into its outbox) even while NATS is down.
import { connect, type NatsConnection } from '@nats-io/transport-node'
import type { FastifyBaseLogger } from 'fastify'

export interface NatsHandle {
  /** Resolves once connected; rejects if the handle is closed first. */
  ready: () => Promise<NatsConnection>
  current: () => NatsConnection | undefined
  connected: () => boolean
  close: () => Promise<void>
}

export function createNatsHandle (options: { servers: string, name: string, log: FastifyBaseLogger }): NatsHandle {
  let nc: NatsConnection | undefined
  let closed = false
  let up = false
  let resolveReady!: (nc: NatsConnection) => void
  let rejectReady!: (err: Error) => void
  const readyPromise = new Promise<NatsConnection>((resolve, reject) => { resolveReady = resolve; rejectReady = reject })
  readyPromise.catch(() => {})

  const watch = async (conn: NatsConnection): Promise<void> => {
    for await (const s of conn.status()) {
      if (s.type === 'disconnect') { up = false; options.log.warn('nats disconnected') }
      if (s.type === 'reconnect') { up = true; options.log.info('nats reconnected') }
    }
  }

  const loop = async (): Promise<void> => {
    let attempt = 0
    while (!closed) {
      try {
        const conn = await connect({
          servers: options.servers.split(',').map((s) => s.trim()),
          name: options.name,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 250,
          pingInterval: 10_000
        })
        if (closed) { await conn.close(); return }
        nc = conn
        up = true
        void watch(conn)
        options.log.info({ server: conn.getServer() }, 'nats connected')
        resolveReady(conn)
        return
      } catch (err) {
        if (attempt++ % 20 === 0) options.log.warn({ err }, 'nats not reachable yet; retrying')
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    }
  }
  void loop()

  return {
    ready: async () => await readyPromise,
    current: () => nc,
    connected: () => up && nc !== undefined && !nc.isClosed(),
    close: async () => {
      closed = true
      rejectReady(new Error('nats handle closed'))
      if (nc !== undefined && !nc.isClosed()) {
        try { await nc.drain() } catch { await nc.close() }
      }
    }
  }
}
