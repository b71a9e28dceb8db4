// Starts the platform the way it runs for real (services listening on ports, talking over NATS, Postgres,
// Redis and SMTP), each service in this process or as a child process a test can SIGKILL, against servers
// the test chose: private ones it may stop, or the shared ones (never stopped) for what it leaves alone.
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { listenOnBothPorts } from '@dreamseed/kit'
import type { Logger } from 'pino'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, streamFor } from '@dreamseed/events'
import { ADMIN_URL, NATS_URL, createTestDatabase, createTestStreams, freePort, register as registerUser, QUICK_TEST_SETTINGS, startSmtpServer, waitFor, waitForConsumerIdle, type PlatformClient, type ServiceName, type TestSmtp } from '@dreamseed/testing'
import { buildApp as buildAuth, loadAuthConfig } from '@dreamseed/auth'
import { buildApp as buildNotification, loadNotificationConfig, MAILER_DURABLE } from '@dreamseed/notification'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { buildApp as buildAnalytics, loadAnalyticsConfig, DURABLES } from '@dreamseed/analytics'

interface T { teardown: (fn: () => unknown) => void }

/** The full setting (FAULTS_FULL=1): the outages and volumes the issue names. CI runs the light one. */
export const FULL = process.env.FAULTS_FULL === '1'

export type { ServiceName }
export { PASSWORD, buildSchool, call, count, metric, pool, signIn, takeSession, uniqueEmail, type CallResult, type School, type Student, type TakenSession } from '@dreamseed/testing'

export interface PlatformOptions {
  natsUrl?: string
  databaseAdminUrl?: string
  redisUrl?: string
  /** Services built in this process; the others a test spawns itself (spawnService) or leaves out. */
  inProcess?: ServiceName[]
  env?: Record<string, string>
  /** Loggers for in-process services, to read their lines back. */
  loggers?: Partial<Record<ServiceName, Logger>>
}

export interface Platform extends PlatformClient {
  env: Record<string, string>
  smtp: TestSmtp
  sql: postgres.Sql
  prefix: string
  urls: Partial<Record<ServiceName, string>>
  opsUrls: Partial<Record<ServiceName, string>>
  apps: Partial<Record<ServiceName, FastifyInstance>>
  url: (service: ServiceName) => string
  /** Where its operational endpoints answer (OPS_PORT: /metrics, /health/*), which the public port does not serve. */
  opsUrl: (service: ServiceName) => string
  /** Registers a user through HTTP and returns the status code. */
  register: (email: string) => Promise<number>
}

export async function startPlatform (t: T, options: PlatformOptions = {}): Promise<Platform> {
  const natsUrl = options.natsUrl ?? NATS_URL
  const databaseUrl = await createTestDatabase(t, migrateDatabase, options.databaseAdminUrl ?? ADMIN_URL)
  const prefix = await createTestStreams(t, applyStreams, natsUrl)
  const smtp = await startSmtpServer(t)
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    EVENTS_PREFIX: prefix,
    TOKEN_SEAL_KEY: randomBytes(32).toString('base64'),
    EMAIL_MODE: 'smtp',
    SMTP_URL: smtp.url,
    ...QUICK_TEST_SETTINGS,
    MAILER_ACK_WAIT_MS: '1500',
    PORT: '0',
    ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
    ...options.env
  }
  const urls: Partial<Record<ServiceName, string>> = {}
  const opsUrls: Partial<Record<ServiceName, string>> = {}
  const apps: Partial<Record<ServiceName, FastifyInstance>> = {}
  const inProcess = options.inProcess ?? ['auth', 'notification']
  const listen = async (name: ServiceName, app: FastifyInstance): Promise<void> => {
    t.teardown(async () => { await app.close() })
    const listening = await listenOnBothPorts(app, { host: '127.0.0.1', port: 0, opsPort: 0 })
    urls[name] = listening.url
    opsUrls[name] = listening.opsUrl
    apps[name] = app
  }
  const logger = (name: ServiceName) => options.loggers?.[name] === undefined ? {} : { logger: options.loggers[name] }
  // auth first: the others take its address (links in mails, JWKS).
  if (inProcess.includes('auth')) {
    await listen('auth', await buildAuth(loadAuthConfig(env), logger('auth')))
    env.AUTH_PUBLIC_URL = urls.auth!
    env.AUTH_JWKS_URL = `${urls.auth!}/.well-known/jwks.json`
  }
  if (inProcess.includes('notification')) await listen('notification', await buildNotification(loadNotificationConfig(env), logger('notification')))
  if (inProcess.includes('exam')) await listen('exam', await buildExam(loadExamConfig(env), logger('exam')))
  if (inProcess.includes('analytics')) await listen('analytics', await buildAnalytics(loadAnalyticsConfig(env), logger('analytics')))
  const sql = postgres(databaseUrl, { max: 3, onnotice: () => {} })
  t.teardown(async () => { await sql.end({ timeout: 1 }) })
  const running = (found: Partial<Record<ServiceName, string>>) => (service: ServiceName): string => {
    const u = found[service]
    if (u === undefined) throw new Error(`${service} is not running`)
    return u
  }
  const url = running(urls)
  const register = async (email: string): Promise<number> => await registerUser(url('auth'), email)
  return { env, smtp, sql, prefix, urls, opsUrls, apps, url, opsUrl: running(opsUrls), register }
}

const serverPath = (service: ServiceName): string => fileURLToPath(new URL(`../../../services/${service}/src/server.ts`, import.meta.url))

export interface SpawnedService {
  child: ChildProcess
  exited: Promise<number | null>
  url: string
  opsUrl: string
}

/** A service as its own process (its real server.ts), listening on a port of its own, so a test can SIGKILL it. */
export async function spawnService (t: T, service: ServiceName, env: Record<string, string>): Promise<SpawnedService> {
  const [port, opsPort] = [await freePort(), await freePort()]
  const child = spawn(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', serverPath(service)], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), OPS_PORT: String(opsPort), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited }
  })
  const url = `http://127.0.0.1:${port}`
  const opsUrl = `http://127.0.0.1:${opsPort}`
  // The ops port opens after the API's: once it answers, both listen.
  await waitFor(async () => (await fetch(`${opsUrl}/health/live`)).ok, { what: `${service} listening`, timeoutMs: 30000, intervalMs: 200 })
  return { child, exited, url, opsUrl }
}

export async function kill (service: SpawnedService): Promise<void> {
  service.child.kill('SIGKILL')
  await service.exited
}

/** Resolves once the mailer has delivered and settled every event in its stream, redeliveries included: count mails after it. */
export async function mailerIdle (platform: Platform): Promise<void> {
  await waitForConsumerIdle(platform.env.NATS_URL!, streamFor(platform.prefix, 'user.created'), MAILER_DURABLE, { timeoutMs: 60000 })
}

/** The same for analytics' three consumers (services/analytics/src/consumers/event-consumers.ts). */
export async function analyticsIdle (platform: Platform): Promise<void> {
  const consumers: Array<[string, string]> = [[DURABLES.users, 'user.created'], [DURABLES.organizations, 'classroom.created'], [DURABLES.exams, 'exam.session.started']]
  for (const [durable, type] of consumers) await waitForConsumerIdle(platform.env.NATS_URL!, streamFor(platform.prefix, type), durable, { timeoutMs: 60000 })
}
