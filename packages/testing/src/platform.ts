// Starts the platform the way it runs for real (services listening on ports, talking over NATS, Postgres,
// Redis and SMTP), each service in this process or as a child process a test can SIGKILL, against servers
// the test chose: private ones it may stop, or the shared ones (never stopped) for what it leaves alone.
// The services' own code comes in as `PlatformServices` (every service's tests depend on this package, so it
// cannot depend on them); a child process runs a service's real server.ts by its path.
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Logger } from 'pino'
import postgres from 'postgres'
import { ADMIN_URL, createTestDatabase } from './database.js'
import { NATS_URL, createTestStreams, type ApplyStreams } from './events.js'
import { freePort } from './free-port.js'
import { register as registerUser, type PlatformClient, type ServiceName } from './platform-client.js'
import { startSmtpServer, type TestSmtp } from './smtp.js'
import { waitFor } from './wait.js'

interface T { teardown: (fn: () => unknown) => void }

/** What a service's tests run it with: a private database and event namespace, quiet logs, a fresh seal key. */
export function testServiceEnv (at: { databaseUrl: string, natsUrl: string, prefix: string }): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: at.databaseUrl,
    NATS_URL: at.natsUrl,
    EVENTS_PREFIX: at.prefix,
    TOKEN_SEAL_KEY: randomBytes(32).toString('base64')
  }
}

/** A built service app, as far as the launcher handles it. */
export interface ServiceApp { close: () => Promise<unknown> }

/** The services' code: how each is built from its settings, how it listens, and the schema and streams. */
export interface PlatformServices<A extends ServiceApp> {
  migrateDatabase: (url: string) => Promise<void>
  applyStreams: ApplyStreams
  /** Its config loader and buildApp, with a logger a test may read back. */
  build: Partial<Record<ServiceName, (env: Record<string, string>, logger?: Logger) => Promise<A>>>
  /** kit's listenOnBothPorts: the API and the ops port. */
  listen: (app: A, options: { host: string, port: number, opsPort: number }) => Promise<{ url: string, opsUrl: string }>
}

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

export interface Platform<A extends ServiceApp> extends PlatformClient {
  env: Record<string, string>
  smtp: TestSmtp
  sql: postgres.Sql
  prefix: string
  urls: Partial<Record<ServiceName, string>>
  opsUrls: Partial<Record<ServiceName, string>>
  apps: Partial<Record<ServiceName, A>>
  url: (service: ServiceName) => string
  /** Where its operational endpoints answer (OPS_PORT: /metrics, /health/*), which the public port does not serve. */
  opsUrl: (service: ServiceName) => string
  /** Registers a user through HTTP and returns the status code. */
  register: (email: string, password?: string) => Promise<number>
}

export async function startPlatform<A extends ServiceApp> (t: T, services: PlatformServices<A>, options: PlatformOptions = {}): Promise<Platform<A>> {
  const natsUrl = options.natsUrl ?? NATS_URL
  const databaseUrl = await createTestDatabase(t, services.migrateDatabase, options.databaseAdminUrl ?? ADMIN_URL)
  const prefix = await createTestStreams(t, services.applyStreams, natsUrl)
  const smtp = await startSmtpServer(t)
  const env: Record<string, string> = {
    ...testServiceEnv({ databaseUrl, natsUrl, prefix }),
    EMAIL_MODE: 'smtp',
    SMTP_URL: smtp.url,
    MAILER_ACK_WAIT_MS: '1500',
    PORT: '0',
    ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }),
    ...options.env
  }
  const urls: Partial<Record<ServiceName, string>> = {}
  const opsUrls: Partial<Record<ServiceName, string>> = {}
  const apps: Partial<Record<ServiceName, A>> = {}
  const inProcess = options.inProcess ?? ['auth', 'notification']
  // auth first: the others take its address (links in mails, JWKS).
  for (const name of (['auth', 'notification', 'exam', 'analytics'] as const).filter((s) => inProcess.includes(s))) {
    const build = services.build[name]
    if (build === undefined) throw new Error(`no builder for ${name}`)
    const app = await build(env, options.loggers?.[name])
    t.teardown(async () => { await app.close() })
    const listening = await services.listen(app, { host: '127.0.0.1', port: 0, opsPort: 0 })
    urls[name] = listening.url
    opsUrls[name] = listening.opsUrl
    apps[name] = app
    if (name === 'auth') {
      env.AUTH_PUBLIC_URL = listening.url
      env.AUTH_JWKS_URL = `${listening.url}/.well-known/jwks.json`
    }
  }
  const sql = postgres(databaseUrl, { max: 3, onnotice: () => {} })
  t.teardown(async () => { await sql.end({ timeout: 1 }) })
  const running = (found: Partial<Record<ServiceName, string>>) => (service: ServiceName): string => {
    const u = found[service]
    if (u === undefined) throw new Error(`${service} is not running`)
    return u
  }
  const url = running(urls)
  const register = async (email: string, password?: string): Promise<number> => await registerUser(url('auth'), email, password)
  return { env, smtp, sql, prefix, urls, opsUrls, apps, url, opsUrl: running(opsUrls), register }
}

const serverPath = (service: ServiceName): string => fileURLToPath(new URL(`../../../services/${service}/src/server.ts`, import.meta.url))

export interface ServiceProcess {
  child: ChildProcess
  exited: Promise<number | null>
}

/**
 * A service's real server.ts as a process of its own, with nothing but PATH and `env`. Its log lines (JSON,
 * LOG_LEVEL info) go to `onLogLine` when given; otherwise it logs warnings only, to nowhere.
 */
export function serviceProcess (service: ServiceName, env: Record<string, string>, options: { onLogLine?: (line: Record<string, unknown>) => void } = {}): ServiceProcess {
  const child = spawn(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', serverPath(service)], {
    env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: options.onLogLine === undefined ? 'warn' : 'info' },
    stdio: ['ignore', options.onLogLine === undefined ? 'ignore' : 'pipe', 'inherit']
  })
  if (options.onLogLine !== undefined) {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) if (line.startsWith('{')) options.onLogLine?.(JSON.parse(line) as Record<string, unknown>)
    })
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited }
}

export interface SpawnedService extends ServiceProcess {
  url: string
  opsUrl: string
}

/** A service as its own process, listening on ports of its own once this resolves, killed at teardown: a test can SIGKILL it. */
export async function spawnService (t: T, service: ServiceName, env: Record<string, string>): Promise<SpawnedService> {
  const [port, opsPort] = [await freePort(), await freePort()]
  const { child, exited } = serviceProcess(service, { ...env, PORT: String(port), OPS_PORT: String(opsPort), HOST: '127.0.0.1' })
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited }
  })
  const url = `http://127.0.0.1:${port}`
  const opsUrl = `http://127.0.0.1:${opsPort}`
  // The ops port opens after the API's: once it answers, both listen.
  await waitFor(async () => (await fetch(`${opsUrl}/health/live`)).ok, { what: `${service} listening`, timeoutMs: 30000, intervalMs: 200 })
  return { child, exited, url, opsUrl }
}

export async function kill (service: ServiceProcess): Promise<void> {
  service.child.kill('SIGKILL')
  await service.exited
}
