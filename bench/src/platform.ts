// Everything a run needs, started fresh and owned by the bench: its own database and event namespace (never
// the dev ones), auth, exam, notification and analytics as their own processes, the baseline server, the load process,
// and the bench's own connections to read results with.
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { join } from 'node:path'
import postgres from 'postgres'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, STREAMS, streamName } from '@dreamseed/events'
import { databaseUrl, REPO_ROOT, type BenchOptions } from './options.js'
import { freePort, spawnNode, waitReady, type NodeProcess } from './processes.js'
import { startLoadProcess, type LoadProcess } from './load/load-process.js'
import { postJson } from './http.js'
import { rawStreamName } from './scenarios/raw-stream.js'
import { relaysStreamName } from './scenarios/relays.js'

export const PASSWORD = 'correct horse battery staple'
export type ServiceName = 'auth' | 'exam' | 'notification' | 'analytics'

export interface Platform {
  options: BenchOptions
  sql: postgres.Sql
  nats: NatsConnection
  auth: NodeProcess
  exam: NodeProcess
  notification: NodeProcess
  analytics: NodeProcess
  baseline: NodeProcess
  load: LoadProcess
  /** The settings every service was started with (database, prefix, NATS, Redis, keys, the bench's changes). */
  env: Record<string, string>
  /** The key auth signs access tokens with: the capacity scenario's setup signs its students' tokens with it. */
  signingKey: KeyObject
  /** The argon2id parameters auth hashes with, read from a hash it stored. */
  argon2: { m: number, t: number, p: number }
  processes: () => NodeProcess[]
  stop: () => Promise<void>
}

async function resetDatabase (options: BenchOptions): Promise<string> {
  const admin = postgres(options.adminDatabaseUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`drop database if exists "${options.databaseName}" with (force)`)
  } finally {
    await admin.end()
  }
  const url = databaseUrl(options)
  await migrateDatabase(url)
  return url
}

/** The bench's streams: the platform's under its prefix, 6c's bare-consumer stream (see scenarios/analytics.ts) and 6e's relays' stream. */
const ownStreams = (prefix: string): string[] => [...STREAMS.map((d) => streamName(prefix, d)), rawStreamName(prefix), relaysStreamName(prefix)]

async function resetStreams (nc: NatsConnection, prefix: string): Promise<void> {
  const jsm = await jetstreamManager(nc)
  for (const name of ownStreams(prefix)) await jsm.streams.delete(name).catch(() => false)
  // A bounded size: JetStream reserves each stream's limit against its storage.
  await applyStreams(jsm, prefix, { maxBytes: 512 * 1024 * 1024 })
}

/** The argon2id cost auth actually uses, read from the PHC string of a password it hashed. */
async function argon2ParamsOf (sql: postgres.Sql, authUrl: string): Promise<{ m: number, t: number, p: number }> {
  const email = `probe-${randomBytes(4).toString('hex')}@bench.example.org`
  const res = await postJson(authUrl, '/auth/register', { email, password: PASSWORD, role: 'student', displayName: 'Probe' })
  if (res.status !== 202) throw new Error(`probe registration answered ${res.status}: ${JSON.stringify(res.body)}`)
  const [row] = await sql<Array<{ hash: string }>>`select password_hash as hash from auth.users where email = ${email}`
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(row?.hash ?? '')
  if (m === null) throw new Error(`auth stored a hash the bench cannot read: ${row?.hash?.slice(0, 40) ?? 'none'}`)
  return { m: Number(m[1]), t: Number(m[2]), p: Number(m[3]) }
}

async function dropOwnData (options: BenchOptions): Promise<void> {
  if (!options.cleanup) return
  const admin = postgres(options.adminDatabaseUrl, { max: 1, onnotice: () => {} })
  try { await admin.unsafe(`drop database if exists "${options.databaseName}" with (force)`) } finally { await admin.end() }
  const nc = await connect({ servers: options.natsUrl.split(',') })
  try {
    const jsm = await jetstreamManager(nc)
    for (const name of ownStreams(options.eventsPrefix)) await jsm.streams.delete(name).catch(() => false)
  } finally { await nc.close() }
}

export async function startPlatform (options: BenchOptions, log: (line: string) => void): Promise<Platform> {
  const started: Array<{ stop: () => Promise<void> }> = []
  const stopAll = async (): Promise<void> => {
    for (const s of started.reverse()) await s.stop().catch(() => {})
    await dropOwnData(options)
  }
  try {
    log(`database ${options.databaseName}, events prefix ${options.eventsPrefix}`)
    const url = await resetDatabase(options)
    const sql = postgres(url, { max: 4, onnotice: () => {} })
    started.push({ stop: async () => { await sql.end({ timeout: 5 }) } })
    const nats = await connect({ servers: options.natsUrl.split(','), name: 'bench' })
    started.push({ stop: async () => { await nats.close() } })
    await resetStreams(nats, options.eventsPrefix)

    const [authPort, examPort, notificationPort, analyticsPort, baselinePort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()]
    const authUrl = `http://127.0.0.1:${authPort}`
    // A PEM (which auth accepts as well as a seed), so the bench holds the same key as a KeyObject.
    const signingKey = generateKeyPairSync('ed25519').privateKey
    const env: Record<string, string> = {
      NODE_ENV: 'development',
      LOG_LEVEL: options.logLevel,
      DATABASE_URL: url,
      NATS_URL: options.natsUrl,
      REDIS_URL: options.redisUrl,
      EVENTS_PREFIX: options.eventsPrefix,
      TOKEN_SEAL_KEY: randomBytes(32).toString('base64'),
      AUTH_SIGNING_KEY: signingKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      PUBLIC_URL: authUrl,
      AUTH_PUBLIC_URL: authUrl,
      AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`,
      EMAIL_MODE: 'console',
      // The bench sends every request from one address: auth's per-address limits would refuse it. It also sends
      // thousands of requests a second with one teacher's token: exam's and analytics' per-user limits would too.
      AUTH_RATE_LIMIT_MAX: '1000000',
      AUTH_RATE_LIMIT_STRICT_MAX: '1000000',
      EXAM_RATE_LIMIT_MAX: '1000000',
      EXAM_RATE_LIMIT_STRICT_MAX: '1000000',
      ANALYTICS_RATE_LIMIT_MAX: '1000000',
      ANALYTICS_RATE_LIMIT_STRICT_MAX: '1000000',
      // Tokens the setup hands out must outlive the run.
      ACCESS_TOKEN_TTL_S: '3600',
      VERIFICATION_RESEND_INTERVAL_S: '0'
    }
    const logDir = join(options.outDir, 'logs')
    const profileDir = join(options.outDir, 'profiles')
    const service = async (name: ServiceName, port: number): Promise<NodeProcess> => {
      const proc = await spawnNode({
        name,
        script: join(REPO_ROOT, 'services', name, 'src', 'server.ts'),
        cwd: join(REPO_ROOT, 'services', name),
        port,
        env,
        logDir,
        ...(options.profile.includes(name) ? { cpuProfileDir: profileDir } : {})
      })
      started.push(proc)
      return proc
    }
    const auth = await service('auth', authPort)
    await waitReady(auth)
    const [exam, notification, analytics] = [await service('exam', examPort), await service('notification', notificationPort), await service('analytics', analyticsPort)]
    await Promise.all([waitReady(exam), waitReady(notification), waitReady(analytics)])
    log(`auth ${auth.url}, exam ${exam.url}, notification ${notification.url}, analytics ${analytics.url} (logs in ${logDir})`)

    const argon2 = await argon2ParamsOf(sql, authUrl)
    const baseline = await spawnNode({
      name: 'baseline',
      script: join(REPO_ROOT, 'bench', 'src', 'baseline', 'server.ts'),
      cwd: join(REPO_ROOT, 'bench'),
      port: baselinePort,
      env: { ...env, SERVICE_NAME: 'bench-baseline', BENCH_ARGON2_M: String(argon2.m), BENCH_ARGON2_T: String(argon2.t), BENCH_ARGON2_P: String(argon2.p) },
      logDir,
      ...(options.profile.includes('baseline') ? { cpuProfileDir: profileDir } : {})
    })
    started.push(baseline)
    await waitReady(baseline)
    log(`baseline ${baseline.url}; argon2id m=${argon2.m} KiB, t=${argon2.t}, p=${argon2.p} (read from a hash auth stored)`)

    const load = startLoadProcess()
    started.push(load)

    return { options, sql, nats, auth, exam, notification, analytics, baseline, load, env, signingKey, argon2, processes: () => [auth, exam, notification, analytics, baseline], stop: stopAll }
  } catch (err) {
    await stopAll()
    throw err
  }
}
