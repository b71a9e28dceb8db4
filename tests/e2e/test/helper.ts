// Starts auth and notification the way they run for real (listening on ports, talking over NATS and SMTP),
// against one private database and event namespace, with a real SMTP server capturing the mail
// (packages/testing's startPlatform with their code).
import { listenOnBothPorts } from '@dreamseed/kit'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, streamFor } from '@dreamseed/events'
import { PASSWORD, call, serviceProcess, signIn, startPlatform as startTestPlatform, waitForConsumerIdle, type Platform as TestPlatform, type PlatformServices } from '@dreamseed/testing'
import { buildApp as buildAuth, loadAuthConfig } from '@dreamseed/auth'
import { buildApp as buildNotification, loadNotificationConfig, MAILER_DURABLE } from '@dreamseed/notification'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { buildApp as buildAnalytics, loadAnalyticsConfig } from '@dreamseed/analytics'

export { call, serviceProcess as spawnService, signIn, type CallResult } from '@dreamseed/testing'

/** A built service (auth's and notification's are the same Fastify instance type). */
type App = Awaited<ReturnType<typeof buildAuth>>

interface T { teardown: (fn: () => unknown) => void }

const SERVICES: PlatformServices<App> = {
  migrateDatabase,
  applyStreams,
  listen: listenOnBothPorts,
  build: {
    auth: async (env) => await buildAuth(loadAuthConfig(env)),
    notification: async (env) => await buildNotification(loadNotificationConfig(env))
  }
}

export interface Platform extends TestPlatform<App> {
  authUrl: string
}

export async function startPlatform (t: T, options: { natsUrl?: string, notification?: 'in-process' | 'none', env?: Record<string, string> } = {}): Promise<Platform> {
  const platform = await startTestPlatform(t, SERVICES, {
    ...(options.natsUrl === undefined ? {} : { natsUrl: options.natsUrl }),
    inProcess: options.notification === 'none' ? ['auth'] : ['auth', 'notification'],
    // Spawned services too (OPS_PORT): a fixed default would collide between test files.
    env: { OUTBOX_POLL_MS: '100', MAILER_BACKOFF_MS: '200,500', OPS_PORT: '0', ...options.env }
  })
  return { ...platform, authUrl: platform.url('auth') }
}

/** exam and analytics beside the platform, listening on ports of their own, verifying auth's tokens with its JWKS. */
export async function startExamAndAnalytics (t: T, platform: Platform): Promise<{ examUrl: string, analyticsUrl: string }> {
  const env = { ...platform.env, AUTH_JWKS_URL: `${platform.authUrl}/.well-known/jwks.json` }
  const started = async (app: Awaited<ReturnType<typeof buildExam>> | Awaited<ReturnType<typeof buildAnalytics>>): Promise<string> => {
    await app.listen({ host: '127.0.0.1', port: 0 })
    t.teardown(() => app.close())
    return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  }
  return { examUrl: await started(await buildExam(loadExamConfig(env))), analyticsUrl: await started(await buildAnalytics(loadAnalyticsConfig(env))) }
}

/** Resolves once the mailer has delivered and settled every event in its stream, redeliveries included: count mails after it. */
export async function mailerIdle (platform: Platform): Promise<void> {
  await waitForConsumerIdle(platform.env.NATS_URL!, streamFor(platform.prefix, 'user.created'), MAILER_DURABLE)
}

export const spawnNotification = (env: Record<string, string>) => serviceProcess('notification', env)

export function linkIn (text: string): string {
  const m = /(http:\/\/\S+\/auth\/verify\?token=[A-Za-z0-9_%-]+)/.exec(text)
  if (m?.[1] === undefined) throw new Error(`no verification link in:\n${text}`)
  return m[1]
}

/** A teacher of a new organization (made so directly in auth's tables, as an admin would), signed in again for a token with the role. */
export async function newTeacher (platform: Platform, email: string): Promise<{ token: string, organizationId: string }> {
  await signIn(platform, email)
  const [org] = await platform.sql`insert into auth.organizations (id, name) values (gen_random_uuid(), 'Springfield High') returning id`
  await platform.sql`update auth.users set role = 'teacher', organization_id = ${org?.id} where email = ${email}`
  const token = (await call(platform.authUrl, 'POST', '/auth/login', undefined, { email, password: PASSWORD })).body!.accessToken as string
  return { token, organizationId: org?.id as string }
}
