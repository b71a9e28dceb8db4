// Starts auth and notification the way they run for real (listening on ports, talking over NATS and SMTP),
// against one private database and event namespace, with a real SMTP server capturing the mail.
import { randomBytes } from 'node:crypto'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, streamFor } from '@dreamseed/events'
import { createTestDatabase, createTestStreams, startSmtpServer, waitFor, waitForConsumerIdle, NATS_URL, type TestSmtp } from '@dreamseed/testing'
import { buildApp as buildAuth, loadAuthConfig } from '@dreamseed/auth'
import { buildApp as buildNotification, loadNotificationConfig, MAILER_DURABLE } from '@dreamseed/notification'

interface T { teardown: (fn: () => unknown) => void }

export interface Platform {
  authUrl: string
  smtp: TestSmtp
  sql: postgres.Sql
  env: Record<string, string>
  /** Registers a user through HTTP and returns the status code. */
  register: (email: string, password?: string) => Promise<number>
}

export async function startPlatform (t: T, options: { natsUrl?: string, notification?: 'in-process' | 'none', env?: Record<string, string> } = {}): Promise<Platform> {
  const natsUrl = options.natsUrl ?? NATS_URL
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
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
    OUTBOX_POLL_MS: '100',
    MAILER_BACKOFF_MS: '200,500',
    MAILER_ACK_WAIT_MS: '1500',
    PORT: '0',
    // Spawned services too: a fixed default would collide between test files.
    OPS_PORT: '0',
    ...options.env
  }
  const auth = await buildAuth(loadAuthConfig(env))
  await auth.listen({ host: '127.0.0.1', port: 0 })
  const authUrl = `http://127.0.0.1:${(auth.server.address() as { port: number }).port}`
  t.teardown(async () => { await auth.close() })
  if (options.notification !== 'none') {
    const notification = await buildNotification(loadNotificationConfig({ ...env, AUTH_PUBLIC_URL: authUrl }))
    await notification.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(async () => { await notification.close() })
  }
  env.AUTH_PUBLIC_URL = authUrl
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} })
  t.teardown(async () => { await sql.end() })
  const register = async (email: string, password = 'correct horse battery'): Promise<number> => {
    const res = await fetch(`${authUrl}/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, role: 'student', displayName: email.split('@')[0] }) })
    await res.arrayBuffer()
    return res.status
  }
  return { authUrl, smtp, sql, env, register }
}

/** Resolves once the mailer has delivered and settled every event in its stream, redeliveries included: count mails after it. */
export async function mailerIdle (platform: Platform): Promise<void> {
  await waitForConsumerIdle(platform.env.NATS_URL!, streamFor(platform.env.EVENTS_PREFIX!, 'user.created'), MAILER_DURABLE)
}

const serverPath = (service: string): string => fileURLToPath(new URL(`../../../services/${service}/src/server.ts`, import.meta.url))

/** A service as its own process (its real server.ts), so a test can signal or SIGKILL it. */
export function spawnService (service: 'auth' | 'notification', env: Record<string, string>, options: { onLogLine?: (line: Record<string, unknown>) => void } = {}): { child: ChildProcess, exited: Promise<number | null> } {
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

export const spawnNotification = (env: Record<string, string>) => spawnService('notification', env)

export function linkIn (text: string): string {
  const m = /(http:\/\/\S+\/auth\/verify\?token=[A-Za-z0-9_%-]+)/.exec(text)
  if (m?.[1] === undefined) throw new Error(`no verification link in:\n${text}`)
  return m[1]
}

export interface CallResult {
  status: number
  type: string | null
  text: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read whatever each route answers
  body: Record<string, any> | undefined
}

/** One HTTP request to a running service, as a client would make it. */
export async function call (base: string, method: string, path: string, token?: string, body?: unknown, type = 'application/json'): Promise<CallResult> {
  const res = await fetch(`${base}${path}`, { method, headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': type }) }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) })
  const text = await res.text()
  const contentType = res.headers.get('content-type')
  return { status: res.status, type: contentType, text, body: text === '' || !/json/.test(contentType ?? '') ? undefined : JSON.parse(text) as Record<string, unknown> }
}

/** Registers, verifies through the mailed link's token and the password, and signs in. */
export async function signIn (platform: Platform, email: string): Promise<{ accessToken: string, sessionToken: string }> {
  const registered = await platform.register(email)
  if (registered !== 202) throw new Error(`registration answered ${registered}`)
  const mail = await waitFor(() => platform.smtp.mailsTo(email)[0])
  await call(platform.authUrl, 'POST', '/auth/verify', undefined, { token: /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1], password: 'correct horse battery' })
  return (await call(platform.authUrl, 'POST', '/auth/login', undefined, { email, password: 'correct horse battery' })).body as { accessToken: string, sessionToken: string }
}

/** A teacher of a new organization (made so directly in auth's tables, as an admin would), signed in again for a token with the role. */
export async function newTeacher (platform: Platform, email: string): Promise<{ token: string, organizationId: string }> {
  await signIn(platform, email)
  const [org] = await platform.sql`insert into auth.organizations (id, name) values (gen_random_uuid(), 'Springfield High') returning id`
  await platform.sql`update auth.users set role = 'teacher', organization_id = ${org?.id} where email = ${email}`
  const token = (await call(platform.authUrl, 'POST', '/auth/login', undefined, { email, password: 'correct horse battery' })).body!.accessToken as string
  return { token, organizationId: org?.id as string }
}
