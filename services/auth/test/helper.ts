// Builds auth against the real Postgres (a private database), NATS (a private namespace) and Redis.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams } from '@dreamseed/events'
import { createTestDatabase, createTestStreams, NATS_URL } from '@dreamseed/testing'
import { buildApp, loadAuthConfig } from '../src/app.js'
import type { BuildOptions } from '../src/app.js'

interface T { teardown: (fn: () => unknown) => void }

export async function buildAuth (t: T, env: Record<string, string> = {}, options: BuildOptions = {}) {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const natsUrl = env.NATS_URL ?? NATS_URL
  const prefix = await createTestStreams(t, applyStreams, natsUrl)
  const sealKey = randomBytes(32)
  const config = loadAuthConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    EVENTS_PREFIX: prefix,
    TOKEN_SEAL_KEY: sealKey.toString('base64'),
    OUTBOX_POLL_MS: '50',
    ...env
  })
  const app = await buildApp(config, options)
  await app.ready()
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} })
  t.teardown(async () => { await sql.end() })
  t.teardown(async () => { await app.close() })
  return { app, config, sql, prefix, sealKey, databaseUrl }
}

let counter = 0
export function newUser (overrides: Partial<{ email: string, password: string, role: string, displayName: string }> = {}) {
  counter++
  return { email: `user${counter}.${randomBytes(3).toString('hex')}@example.org`, password: 'correct horse battery', role: 'student', displayName: `User ${counter}`, ...overrides }
}

export interface OutboxEvent { id: string, type: string, envelope: { id: string, type: string, data: Record<string, unknown>, requestId?: string } }

export async function outbox (sql: postgres.Sql): Promise<OutboxEvent[]> {
  return await sql<OutboxEvent[]>`select id, type, envelope from auth.outbox order by id`
}
