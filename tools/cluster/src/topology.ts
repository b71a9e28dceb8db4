// The platform in its production shape on one machine: a 3-node NATS cluster (streams with 3 replicas, one
// NATS user per service when authorization is given), several replicas of every service each in its own
// process with its own pool, and HAProxy balancing every request round robin in front of each service.
// Postgres and Redis are the machine's. `pnpm cluster` runs it with fixed ports; tests/cluster with free ones,
// a private database and a private stream prefix per test file.
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { applyStreams, natsAuthorizationConfig, StreamsDoNotFitError, type NatsUser } from '@dreamseed/events'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { GaveUp, startNatsCluster, waitUntil, type NatsCluster, type NatsNodePorts } from './nats-cluster.js'
import { REPLICA_HEADER, startHaproxy, type Haproxy } from './haproxy.js'
import { createReplica, type Replica, type ServiceName } from './replica.js'

export const SERVICES: ServiceName[] = ['auth', 'exam', 'analytics', 'notification']

/** Replicas per service: what the Kubernetes overlays run (exam carries the answer path). */
export const DEFAULT_REPLICAS: Record<ServiceName, number> = { auth: 2, exam: 3, analytics: 2, notification: 2 }

export interface NatsCredentials { user: string, pass: string }

export interface ClusterPorts {
  /** The proxies: the addresses clients use. */
  proxies: Record<ServiceName, number>
  /** Each service's replicas, in order. */
  replicas: Record<ServiceName, number[]>
  /** Their ops ports (OPS_PORT), in the same order. */
  ops: Record<ServiceName, number[]>
  nats: NatsNodePorts[]
}

export interface ClusterOptions {
  /** Folder for NATS stores and the generated configs. */
  dir: string
  databaseUrl: string
  prefix: string
  ports: ClusterPorts
  /** Extra settings for every replica (SMTP, test timings, REDIS_URL...). */
  env?: Record<string, string>
  /** Per-service settings, applied after `env`. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>
  /**
   * One NATS password per user (packages/events/src/nats-permissions.ts: each service, subscriber, admin):
   * every node loads the authorization they render, each replica connects as its service's user and the
   * streams are applied as admin. None: NATS lets anyone in (development's shape).
   */
  natsPasswords?: Record<NatsUser, string>
  /** JetStream storage per node, and the cap on each stream's size (JetStream reserves it on every replica). */
  natsMaxFileStore?: string
  streamMaxBytes?: number
  output?: (line: string) => void
}

export interface Cluster {
  urls: Record<ServiceName, string>
  /** Each NATS user's credential (none when NATS lets anyone in). */
  natsCredentials: (user: NatsUser) => NatsCredentials | undefined
  replicas: Record<ServiceName, Replica[]>
  nats: NatsCluster
  prefix: string
  databaseUrl: string
  /** SIGTERM each replica of each service in turn, start it again and wait until it is ready, then the next. */
  rollingRestart: () => Promise<void>
  stop: () => Promise<void>
}

export async function startCluster (options: ClusterOptions): Promise<Cluster> {
  mkdirSync(options.dir, { recursive: true })
  const passwords = options.natsPasswords
  const credentials = (user: NatsUser): NatsCredentials | undefined => passwords === undefined ? undefined : { user, pass: passwords[user] }
  const admin = credentials('admin')
  const nats = await startNatsCluster({
    dir: join(options.dir, 'nats'),
    ports: options.ports.nats,
    maxFileStore: options.natsMaxFileStore ?? '2GB',
    ...(passwords === undefined ? {} : { authorization: natsAuthorizationConfig(options.prefix, passwords), probe: admin })
  })
  const started: Array<{ stop: () => Promise<void> }> = [{ stop: nats.close }]
  try {
    await migrateDatabase(options.databaseUrl)
    const nc = await connect({ servers: nats.urls, ...admin })
    try {
      // A cluster that has just formed may still be placing its first streams: a timed-out request is retried.
      const jsm = await jetstreamManager(nc, { timeout: 20_000 })
      await waitUntil(async () => {
        try {
          await applyStreams(jsm, options.prefix, { replicas: nats.urls.length, ...(options.streamMaxBytes === undefined ? {} : { maxBytes: options.streamMaxBytes }) })
        } catch (err) {
          if (err instanceof StreamsDoNotFitError) throw new GaveUp(err.message)
          throw err
        }
      }, 'the streams to be created', 90_000)
    } finally { await nc.close() }

    const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${options.ports.proxies[s]}`])) as Record<ServiceName, string>
    const env: Record<string, string> = {
      DATABASE_URL: options.databaseUrl,
      NATS_URL: nats.url,
      EVENTS_PREFIX: options.prefix,
      // Links in mails and pages, and the JWKS, go through auth's proxy: any auth replica answers.
      PUBLIC_URL: urls.auth,
      AUTH_PUBLIC_URL: urls.auth,
      AUTH_JWKS_URL: `${urls.auth}/.well-known/jwks.json`,
      TRUST_PROXY: '127.0.0.1',
      ...options.env
    }
    const replicas = Object.fromEntries(SERVICES.map((service) => [service, options.ports.replicas[service].map((port, i) => createReplica({
      service,
      name: `${service}-${i + 1}`,
      port,
      opsPort: options.ports.ops[service][i]!,
      env: {
        ...env,
        ...options.serviceEnv?.[service],
        ...(passwords === undefined ? {} : { NATS_USER: service, NATS_PASSWORD: passwords[service] })
      },
      ...(options.output === undefined ? {} : { output: options.output })
    }))])) as Record<ServiceName, Replica[]>
    const all = SERVICES.flatMap((s) => replicas[s])
    started.push({ stop: async () => { await Promise.all(all.map(async (r) => { await r.stop('SIGTERM') })) } })
    await Promise.all(all.map(async (r) => { await r.start() }))

    const proxy: Haproxy = await startHaproxy({
      configFile: join(options.dir, 'haproxy.cfg'),
      services: SERVICES.map((s) => ({ name: s, port: options.ports.proxies[s], replicas: replicas[s].map((r) => ({ name: r.name, port: r.port, opsPort: r.opsPort })) }))
    })
    started.push({ stop: proxy.close })
    // Ready when the proxy sends requests to every replica (its first health checks have passed).
    await Promise.all(SERVICES.map(async (s) => { await waitForSpread(urls[s], replicas[s].map((r) => r.name)) }))

    const rollingRestart = async (): Promise<void> => {
      for (const replica of all) {
        await replica.stop('SIGTERM')
        await replica.start()
        // The proxy puts it back at its next health check; wait for that before taking down the next one,
        // as a rolling update waits for the new pod's readiness.
        await waitForSpread(urls[replica.service], [replica.name])
      }
    }

    return {
      urls,
      natsCredentials: credentials,
      replicas,
      nats,
      prefix: options.prefix,
      databaseUrl: options.databaseUrl,
      rollingRestart,
      stop: async () => { for (const s of started.reverse()) await s.stop() }
    }
  } catch (err) {
    for (const s of started.reverse()) await s.stop().catch(() => {})
    throw err
  }
}

/** Waits until requests through the proxy have been answered by each of `names`. */
export async function waitForSpread (url: string, names: string[]): Promise<void> {
  const seen = new Set<string>()
  await waitUntil(async () => {
    for (let i = 0; i < names.length * 2; i++) {
      // Any answer names its replica, the public port's 404 for / too.
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      const by = res.headers.get(REPLICA_HEADER)
      if (by !== null) seen.add(by)
    }
    const missing = names.filter((n) => !seen.has(n))
    if (missing.length > 0) throw new Error(`not yet served by ${missing.join(', ')}`)
  }, `the proxy at ${url} to reach ${names.join(', ')}`, 60_000)
}
