// Builds auth against the real Postgres (a private database), NATS (a private namespace) and Redis.
import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, newEventId, unseal, verificationSealContext } from '@dreamseed/events'
import { createTestDatabase, createTestStreams, testServiceEnv, waitFor, NATS_URL } from '@dreamseed/testing'
import { buildApp, loadAuthConfig } from '../src/app.js'
import type { BuildOptions } from '../src/app.js'

interface T { teardown: (fn: () => unknown) => void }

export async function buildAuth (t: T, overrides: Record<string, string> = {}, options: BuildOptions = {}) {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const natsUrl = overrides.NATS_URL ?? NATS_URL
  const prefix = await createTestStreams(t, applyStreams, natsUrl)
  const base = testServiceEnv({ databaseUrl, natsUrl, prefix })
  const sealKey = Buffer.from(base.TOKEN_SEAL_KEY!, 'base64')
  const env: Record<string, string> = {
    ...base,
    AUTH_SIGNING_KEY: randomBytes(32).toString('base64'),
    OUTBOX_POLL_MS: '50',
    ...overrides
  }
  const config = loadAuthConfig(env)
  const app = await buildApp(config, options)
  await app.ready()
  // Redis connects in the background (a service starts without it); tests of limits need it connected first.
  if (overrides.REDIS_URL === undefined) await waitFor(() => app.redis.status === 'ready', { what: 'redis connected' })
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} })
  t.teardown(async () => { await sql.end() })
  t.teardown(async () => { await app.close() })
  return { app, config, env, sql, prefix, sealKey, databaseUrl }
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

type AuthApp = Awaited<ReturnType<typeof buildAuth>>

/** Registers a user through the API and confirms the address with the token from the outbox event and the password. */
export async function createVerifiedUser (ctx: AuthApp, overrides: Partial<{ email: string, password: string, role: string, displayName: string }> = {}) {
  const user = newUser(overrides)
  const res = await ctx.app.inject({ method: 'POST', url: '/auth/register', payload: user })
  if (res.statusCode !== 202) throw new Error(`register failed: ${res.body}`)
  const email = user.email.toLowerCase()
  const [event] = await ctx.sql<OutboxEvent[]>`select id, type, envelope from auth.outbox where type = 'user.created' and envelope->'data'->>'email' = ${email}`
  if (event === undefined) throw new Error('no user.created event')
  const data = event.envelope.data as { userId: string, verification: { sealedToken: string } }
  const token = unseal(ctx.sealKey, data.verification.sealedToken, verificationSealContext(data.userId))
  const verified = await ctx.app.inject({ method: 'POST', url: '/auth/verify', payload: { token, password: user.password } })
  if (verified.statusCode !== 200) throw new Error(`verify failed: ${verified.body}`)
  return { ...user, email, id: data.userId }
}

/** Sets a user's role and organization directly (tests of what roles may do, before the admin routes exist to do it). */
export async function setRole (ctx: AuthApp, userId: string, role: 'student' | 'teacher' | 'admin', organizationId: string | null): Promise<void> {
  await ctx.sql`update auth.users set role = ${role}, organization_id = ${organizationId} where id = ${userId}`
}

export async function createOrganization (ctx: AuthApp, name = 'Test School'): Promise<string> {
  const id = newEventId()
  await ctx.sql`insert into auth.organizations (id, name) values (${id}, ${name})`
  return id
}

export async function login (ctx: AuthApp, user: { email: string, password: string }, headers: Record<string, string> = {}) {
  const res = await ctx.app.inject({ method: 'POST', url: '/auth/login', payload: { email: user.email, password: user.password }, headers })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
  const body = res.json() as { sessionToken: string, accessToken: string, session: { id: string } }
  return { ...body, auth: { authorization: `Bearer ${body.accessToken}` } }
}
