// Builds exam against the real Postgres (a private database), NATS (a private namespace) and Redis, and signs
// access tokens with a key the test made, so no auth service is needed.
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { connect } from '@nats-io/transport-node'
import { applyStreams, classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1, newEnvelope, newEventId, publishEnvelope, type Envelope } from '@dreamseed/events'
import { accessTokenSigner, createTestDatabase, createTestStreams, waitFor, NATS_URL } from '@dreamseed/testing'
import type { Role } from '@dreamseed/kit'
import { buildApp, loadExamConfig, type BuildOptions } from '../src/app.js'

interface T { teardown: (fn: () => unknown) => void }

/** Tests drive one user far faster than a person: the rate limit tests set their own limits. */
export const UNLIMITED = { EXAM_RATE_LIMIT_MAX: '1000000', EXAM_RATE_LIMIT_STRICT_MAX: '1000000' }

export interface Caller { userId: string, role: Role, organizationId: string | null }

export async function buildExam (t: T, env: Record<string, string> = {}, options: BuildOptions = {}) {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const natsUrl = env.NATS_URL ?? NATS_URL
  const prefix = await createTestStreams(t, applyStreams, natsUrl)
  const signer = accessTokenSigner()
  const config = loadExamConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl,
    EVENTS_PREFIX: prefix,
    OUTBOX_POLL_MS: '50',
    ...UNLIMITED,
    ...env
  })
  const app = await buildApp(config, { authKeys: signer.publicKey, ...options })
  await app.ready()
  // Redis connects in the background (a service starts without it); tests of limits need it connected first.
  if (env.REDIS_URL === undefined) await waitFor(() => app.redis.status === 'ready', { what: 'redis connected' })
  await app.classroomConsumer.started()
  await app.accommodationConsumer.started()
  await app.promotionConsumer.started()
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} })
  const nc = await connect({ servers: natsUrl })
  t.teardown(async () => { await nc.close() })
  t.teardown(async () => { await sql.end() })
  t.teardown(async () => { await app.close() })
  const publish = async (envelope: Envelope) => await publishEnvelope(nc, prefix, envelope)
  /** Another exam process on the same database and streams: its own pool, caches, relay and consumers. */
  const replica = async (more: BuildOptions = {}) => {
    const other = await buildApp(config, { authKeys: signer.publicKey, ...options, ...more })
    t.teardown(async () => { await other.close() })
    await other.ready()
    await other.classroomConsumer.started()
    await other.accommodationConsumer.started()
    await other.promotionConsumer.started()
    return other
  }

  /** An access token as auth would issue it. */
  const tokenFor = async (caller: Caller): Promise<string> => await signer.tokenFor(caller, config)
  /** Headers of a request made by a new user with this role. */
  const as = async (role: Role, organizationId: string | null, userId = newEventId()) => ({
    userId, organizationId, headers: { authorization: `Bearer ${await tokenFor({ userId, role, organizationId })}` }
  })
  return { app, config, sql, prefix, databaseUrl, nc, publish, tokenFor, as, replica }
}

export type ExamContext = Awaited<ReturnType<typeof buildExam>>

let counter = 0
/** A valid item; override any field. */
export function newItem (overrides: Record<string, unknown> = {}) {
  counter++
  return { stem: `What is ${counter} + 1?`, options: [String(counter), String(counter + 1), String(counter + 2), String(counter + 3)], correctIndex: 1, subject: 'math', topics: ['arithmetic'], b: 0, ...overrides }
}

export const newOrganization = (): string => newEventId()

/** A classroom as auth announces it, with these students, and waits until exam has applied the events. */
export async function createClassroom (ctx: ExamContext, organizationId: string, teacherId: string, studentIds: string[]): Promise<string> {
  const classroomId = newEventId()
  await ctx.publish(newEnvelope(classroomCreatedV1, { classroomId, organizationId, teacherId, name: 'Class 7B', createdAt: new Date().toISOString() }))
  for (const userId of studentIds) {
    await ctx.publish(newEnvelope(classroomMemberAddedV1, { classroomId, organizationId, userId, role: 'student', joinedAt: new Date().toISOString() }))
  }
  await waitFor(async () => (await ctx.sql`select count(*)::int as n from exam.inbox`)[0]!.n >= 1 + studentIds.length &&
    (await ctx.sql`select 1 from exam.classrooms where id = ${classroomId}`).length === 1 &&
    (await ctx.sql`select count(*)::int as n from exam.classroom_members where classroom_id = ${classroomId}`)[0]!.n === studentIds.length, { what: 'the classroom events applied' })
  return classroomId
}

export async function removeFromClassroom (ctx: ExamContext, classroomId: string, organizationId: string, userId: string, removedBy: string): Promise<void> {
  await ctx.publish(newEnvelope(classroomMemberRemovedV1, { classroomId, organizationId, userId, role: 'student', removedBy, removedAt: new Date().toISOString() }))
  await waitFor(async () => (await ctx.sql`select removed from exam.classroom_members where classroom_id = ${classroomId} and user_id = ${userId}`)[0]?.removed === true, { what: 'the removal applied' })
}

/** Imports items through the API and returns their ids in order. */
export async function importBank (ctx: ExamContext, headers: Record<string, string>, items: Array<Record<string, unknown>>): Promise<string[]> {
  const res = await ctx.app.inject({ method: 'POST', url: '/exam/items/import', headers: { ...headers, 'content-type': 'application/x-ndjson' }, payload: items.map((i) => JSON.stringify(i)).join('\n') })
  if (res.statusCode !== 201) throw new Error(`import failed: ${res.body.slice(0, 500)}`)
  return (await ctx.sql<Array<{ id: string }>>`select id from exam.items order by id desc limit ${items.length}`).map((r) => r.id).reverse()
}

/** A school: an organization, a teacher, students in a classroom, and a bank of active items. */
export async function school (ctx: ExamContext, options: { students?: number, items?: Array<Record<string, unknown>> } = {}) {
  const organizationId = newOrganization()
  const teacher = await ctx.as('teacher', organizationId)
  const students = await Promise.all(Array.from({ length: options.students ?? 1 }, async () => await ctx.as('student', organizationId)))
  const classroomId = await createClassroom(ctx, organizationId, teacher.userId, students.map((s) => s.userId))
  const items = options.items ?? adaptiveBank(40)
  const itemIds = items.length === 0 ? [] : await importBank(ctx, teacher.headers, items)
  return { organizationId, teacher, students, student: students[0]!, classroomId, itemIds }
}

/** Active math items spread over difficulty and two topics. */
export function adaptiveBank (n: number, overrides: Record<string, unknown> = {}) {
  return Array.from({ length: n }, (_, i) => newItem({ a: 0.8 + (i % 5) / 5, b: -3 + (6 * i) / Math.max(1, n - 1), topics: [i % 2 === 0 ? 'algebra' : 'geometry'], status: 'active', ...overrides }))
}
