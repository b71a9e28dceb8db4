// The `pnpm cluster` topology for one test file: its own NATS cluster (free ports, a store in a temporary
// folder, a user per service with its permissions), its own database and stream prefix, its own SMTP server, every service's replicas behind HAProxy.
// A client reaches the services only through the proxies, as in production; a test may also call one
// replica directly (its url) to pin a request to it.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { DEFAULT_REPLICAS, REPLICA_HEADER, SERVICES, startCluster, type Cluster, type ClusterPorts } from '@dreamseed/cluster'
import { connect } from '@nats-io/transport-node'
import { NATS_USERS, streamFor, type NatsUser } from '@dreamseed/events'
import { MAILER_DURABLE } from '@dreamseed/notification'
import { createTestDatabase, freePort, QUICK_TEST_SETTINGS, startSmtpServer, testPrefix, waitForConsumerIdle, type PlatformClient, type ServiceName, type TestSmtp } from '@dreamseed/testing'

interface T { teardown: (fn: () => unknown) => void, passing: () => boolean, comment: (message: string) => void }

/** The full setting (TEST_CLUSTER_FULL=1): the volumes the issue names. CI runs the light one. */
export const FULL = process.env.TEST_CLUSTER_FULL === '1'

export interface TestCluster extends PlatformClient {
  cluster: Cluster
  smtp: TestSmtp
  sql: postgres.Sql
  /** Resolves once the mailer has settled every event of its stream (redeliveries included): count mails after it. */
  waitForMailerIdle: () => Promise<void>
}

export async function startTestCluster (t: T, options: { env?: Record<string, string> } = {}): Promise<TestCluster> {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const smtp = await startSmtpServer(t)
  const dir = mkdtempSync(join(tmpdir(), 'ds-cluster-'))
  const ports: ClusterPorts = {
    proxies: Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()]))) as ClusterPorts['proxies'],
    replicas: Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await Promise.all(Array.from({ length: DEFAULT_REPLICAS[s] }, freePort))]))) as ClusterPorts['replicas'],
    ops: Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await Promise.all(Array.from({ length: DEFAULT_REPLICAS[s] }, freePort))]))) as ClusterPorts['ops'],
    nats: await Promise.all([0, 1, 2].map(async () => ({ client: await freePort(), route: await freePort() })))
  }
  // The last lines of every replica, shown when a test fails.
  const logs: string[] = []
  const cluster = await startCluster({
    dir,
    databaseUrl,
    prefix: testPrefix(),
    ports,
    natsPasswords: Object.fromEntries(NATS_USERS.map((u) => [u, randomBytes(12).toString('hex')])) as Record<NatsUser, string>,
    natsMaxFileStore: '1GB',
    streamMaxBytes: 16 * 1024 * 1024,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      EMAIL_MODE: 'smtp',
      SMTP_URL: smtp.url,
      ...QUICK_TEST_SETTINGS,
      MAILER_ACK_WAIT_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      ...options.env
    },
    output: (line) => { logs.push(line); if (logs.length > 300) logs.shift() }
  })
  const sql = postgres(databaseUrl, { max: 3, onnotice: () => {} })
  const nc = await connect({ servers: cluster.nats.urls, ...cluster.natsCredentials('admin') })
  t.teardown(async () => {
    await nc.close()
    await sql.end({ timeout: 1 })
    await cluster.stop()
    if (!t.passing()) t.comment(`last replica log lines:\n${logs.join('\n')}`)
    rmSync(dir, { recursive: true, force: true })
  })
  const waitForMailerIdle = async (): Promise<void> => {
    await waitForConsumerIdle(nc, streamFor(cluster.prefix, 'user.created'), MAILER_DURABLE, { timeoutMs: 120_000 })
  }
  return { cluster, smtp, sql, url: (service: ServiceName) => cluster.urls[service], waitForMailerIdle }
}

/** Which replica answered (the proxy's header). */
export const servedBy = (headers: Headers): string => headers.get(REPLICA_HEADER) ?? '(none)'
