// auth, exam and analytics listening on ports of their own, on a private database and event namespace: what
// `pnpm seed` and the walks in docs/ run against.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams } from '@dreamseed/events'
import { createTestDatabase, createTestStreams } from '@dreamseed/testing'
import { buildApp as buildAuth, loadAuthConfig } from '@dreamseed/auth'
import { buildApp as buildExam, loadExamConfig } from '@dreamseed/exam'
import { buildApp as buildAnalytics, loadAnalyticsConfig } from '@dreamseed/analytics'
import { adminCreateCommand } from '../src/admin-command.js'

/**
 * auth, exam and analytics listening on ports of their own, on a private database and event namespace. The seed's
 * five students are ranked only when analytics ranks groups of five (the default wants ten).
 */
export async function startServices (t: { teardown: (fn: () => unknown) => void }, analyticsEnv: Record<string, string> = { ANALYTICS_MIN_RANK_GROUP: '5' }) {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const prefix = await createTestStreams(t, applyStreams)
  const env: Record<string, string> = { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, EVENTS_PREFIX: prefix, TOKEN_SEAL_KEY: randomBytes(32).toString('base64'), OUTBOX_POLL_MS: '100', PORT: '0' }
  const auth = await buildAuth(loadAuthConfig(env))
  await auth.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => auth.close())
  const authUrl = `http://127.0.0.1:${(auth.server.address() as { port: number }).port}`
  const exam = await buildExam(loadExamConfig({ ...env, AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json` }))
  await exam.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => exam.close())
  const examUrl = `http://127.0.0.1:${(exam.server.address() as { port: number }).port}`
  const analytics = await buildAnalytics(loadAnalyticsConfig({ ...env, AUTH_JWKS_URL: `${authUrl}/.well-known/jwks.json`, ...analyticsEnv }))
  await analytics.listen({ host: '127.0.0.1', port: 0 })
  t.teardown(() => analytics.close())
  const analyticsUrl = `http://127.0.0.1:${(analytics.server.address() as { port: number }).port}`
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  t.teardown(() => sql.end())
  return { authUrl, examUrl, analyticsUrl, sql, createAdmin: adminCreateCommand({ ...process.env, DATABASE_URL: databaseUrl }) }
}

