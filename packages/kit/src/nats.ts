// A NATS connection that a service can start without: it connects in the background and keeps
// reconnecting forever, so auth registers users (into its outbox) even while NATS is down. It connects as
// the service's own NATS user (NATS_USER, NATS_PASSWORD), whose permissions the server checks on every
// publish; without a user it connects unauthenticated, as a development server allows.
import { connect, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node'
import type { FastifyBaseLogger } from 'fastify'

export interface NatsConnectionSettings {
  /** NATS_URL: server(s), comma-separated. */
  servers: string
  /** Shown by the server (connz) and in its logs. */
  name: string
  user?: string | undefined
  password?: string | undefined
}

/** The one way our code turns settings into connect() options, credentials included. */
export function natsConnectOptions (settings: NatsConnectionSettings): ConnectionOptions {
  const options: ConnectionOptions = { servers: settings.servers.split(',').map((s) => s.trim()).filter((s) => s !== ''), name: settings.name }
  if (settings.user !== undefined && settings.user !== '') {
    if (settings.password === undefined || settings.password === '') throw new Error(`a NATS password is needed with the user ${settings.user}`)
    options.user = settings.user
    options.pass = settings.password
  }
  return options
}

export interface NatsHandle {
  /** Resolves once connected; rejects if the handle is closed first. */
  ready: () => Promise<NatsConnection>
  current: () => NatsConnection | undefined
  connected: () => boolean
  close: () => Promise<void>
}

export function createNatsHandle (options: NatsConnectionSettings & { log: FastifyBaseLogger }): NatsHandle {
  const connectOptions = natsConnectOptions(options)
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
      // A permissions violation: the server's authorization (nats:config) lacks something this service does.
      if (s.type === 'error') options.log.error({ err: s.error }, 'nats reported an error')
    }
  }

  const loop = async (): Promise<void> => {
    let attempt = 0
    while (!closed) {
      try {
        const conn = await connect({
          ...connectOptions,
          maxReconnectAttempts: -1,
          // A password rotated on the server before this pod restarts must not end the connection for good.
          ignoreAuthErrorAbort: true,
          reconnectTimeWait: 250,
          pingInterval: 10_000,
          // Without it the client builds a stack trace for every request (each JetStream publish awaits one):
          // a quarter of the outbox relay's CPU in a profile, for traces nobody reads.
          noAsyncTraces: true
        })
        if (closed) { await conn.close(); return }
        nc = conn
        up = true
        void watch(conn)
        options.log.info({ server: conn.getServer() }, 'nats connected')
        resolveReady(conn)
        return
      } catch (err) {
        if (attempt++ % 20 === 0) {
          // Refused credentials are no outage: say which (the error names the user, never the password).
          if (isAuthError(err)) options.log.error({ err, user: options.user ?? null }, 'nats refused the credentials; retrying')
          else options.log.warn({ err }, 'nats not reachable yet; retrying')
        }
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

function isAuthError (err: unknown): boolean {
  return /authorization|authentication/i.test((err as Error).message ?? '') || /Auth/.test((err as Error).name ?? '')
}
