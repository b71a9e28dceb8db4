// The platform as the fault tests start it (packages/testing's startPlatform, with every service's code and
// the settings that keep them quick under test), and the waits that tell when a consumer has caught up.
import type { FastifyInstance } from 'fastify'
import { listenOnBothPorts } from '@dreamseed/kit'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, streamFor } from '@dreamseed/events'
import { QUICK_TEST_SETTINGS, startPlatform as startTestPlatform, waitForConsumerIdle, type PlatformOptions, type Platform as TestPlatform, type PlatformServices } from '@dreamseed/testing'
import { buildApp as buildAuth, loadAuthConfig } from '@dreamseed/auth'
import { buildApp as buildNotification, loadNotificationConfig, MAILER_DURABLE } from '@dreamseed/notification'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { buildApp as buildAnalytics, loadAnalyticsConfig, DURABLES } from '@dreamseed/analytics'

interface T { teardown: (fn: () => unknown) => void }

/** The full setting (FAULTS_FULL=1): the outages and volumes the issue names. CI runs the light one. */
export const FULL = process.env.FAULTS_FULL === '1'

export { PASSWORD, buildSchool, call, count, kill, metric, pool, signIn, spawnService, takeSession, uniqueEmail, type CallResult, type PlatformOptions, type School, type ServiceName, type SpawnedService, type Student, type TakenSession } from '@dreamseed/testing'

const SERVICES: PlatformServices<FastifyInstance> = {
  migrateDatabase,
  applyStreams,
  listen: listenOnBothPorts,
  build: {
    auth: async (env, logger) => await buildAuth(loadAuthConfig(env), logger === undefined ? {} : { logger }),
    notification: async (env, logger) => await buildNotification(loadNotificationConfig(env), logger === undefined ? {} : { logger }),
    exam: async (env, logger) => await buildExam(loadExamConfig(env), logger === undefined ? {} : { logger }),
    analytics: async (env, logger) => await buildAnalytics(loadAnalyticsConfig(env), logger === undefined ? {} : { logger })
  }
}

export type Platform = TestPlatform<FastifyInstance>

export async function startPlatform (t: T, options: PlatformOptions = {}): Promise<Platform> {
  return await startTestPlatform(t, SERVICES, { ...options, env: { ...QUICK_TEST_SETTINGS, ...options.env } })
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
