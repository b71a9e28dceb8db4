// Builds analytics against the real Postgres (a private database), NATS (a private namespace) and Redis, and
// signs access tokens with a key the test made, so no auth service is needed. Events are published the way
// auth and exam publish them; builders below make valid ones.
import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { connect } from '@nats-io/transport-node'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import {
  applyStreams, classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1, examAssignmentChangedV1, examItemChangedV1, examResponseRecordedV1,
  examSessionCompletedV1, examSessionStartedV1, newEnvelope, newEventId, publishEnvelope, streamFor, subjectOf, userCreatedV1, type Accommodations, type Envelope, type ExamItemChangedV1
} from '@dreamseed/events'
import { accessTokenSigner, createTestDatabase, createTestStreams, waitFor, NATS_URL } from '@dreamseed/testing'
import type { Role } from '@dreamseed/kit'
import { buildApp, loadAnalyticsConfig, type BuildOptions } from '../src/app.js'
import { DURABLES } from '../src/consumers/event-consumers.js'

interface T { teardown: (fn: () => unknown) => void }

/** Tests drive one user far faster than a person: the rate limit tests set their own limits. */
export const UNLIMITED = { ANALYTICS_RATE_LIMIT_MAX: '1000000', ANALYTICS_RATE_LIMIT_STRICT_MAX: '1000000' }

export async function buildAnalytics (t: T, env: Record<string, string> = {}, options: BuildOptions = {}) {
  const databaseUrl = await createTestDatabase(t, migrateDatabase)
  const natsUrl = env.NATS_URL ?? NATS_URL
  const prefix = await createTestStreams(t, applyStreams, natsUrl)
  const signer = accessTokenSigner()
  const config = loadAnalyticsConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, NATS_URL: natsUrl, EVENTS_PREFIX: prefix, OUTBOX_POLL_MS: '50', ...UNLIMITED, ...env })
  const app = await buildApp(config, { authKeys: signer.publicKey, ...options })
  await app.ready()
  if (options.consumers !== false) await app.consumers.started()
  // Redis connects in the background; tests that count cache hits need it there from the first request.
  if (env.REDIS_URL === undefined) await waitFor(() => app.redis.status === 'ready', { what: 'redis connected' })
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} })
  const nc = await connect({ servers: natsUrl })
  t.teardown(async () => { await nc.close() })
  t.teardown(async () => { await sql.end() })
  t.teardown(async () => { await app.close() })
  const jsm = await jetstreamManager(nc)
  /** Another analytics process on the same database, streams and Redis, without consumers of its own. */
  const replica = async () => {
    const other = await buildApp(config, { authKeys: signer.publicKey, ...options, consumers: false })
    t.teardown(async () => { await other.close() })
    await other.ready()
    await waitFor(() => other.redis.status === 'ready', { what: 'redis connected' })
    return other
  }

  const publish = async (...envelopes: Envelope[]) => { for (const e of envelopes) await publishEnvelope(nc, prefix, e) }
  /** The same event again under another message id, as a relay that crashed before its ack would send it: the stream keeps both. */
  const redeliver = async (envelope: Envelope) => {
    await jetstream(nc).publish(subjectOf(prefix, envelope.type, envelope.version), JSON.stringify(envelope), { msgID: randomUUID() })
  }
  /** Waits until every analytics consumer has acknowledged everything in its stream. */
  const settled = async () => {
    await waitFor(async () => {
      for (const [durable, type] of [[DURABLES.users, 'user.created'], [DURABLES.organizations, 'classroom.created'], [DURABLES.exams, 'exam.session.started']] as const) {
        const info = await jsm.consumers.info(streamFor(prefix, type), durable)
        if (info.num_pending > 0 || info.num_ack_pending > 0) return false
      }
      return true
    }, { what: 'analytics consumers caught up', timeoutMs: 60_000 })
  }

  /** A caller with this role; headers carry its access token. */
  const as = async (role: Role, organizationId: string | null, userId = newEventId()) => ({ userId, organizationId, headers: { authorization: `Bearer ${await signer.tokenFor({ userId, role, organizationId }, config)}` } })
  const get = async (url: string, headers: Record<string, string>) => await app.inject({ method: 'GET', url, headers })
  return { app, config, sql, prefix, nc, publish, redeliver, settled, as, get, replica }
}

export type AnalyticsContext = Awaited<ReturnType<typeof buildAnalytics>>

export const id = (): string => newEventId()
const iso = (ms: number): string => new Date(ms).toISOString()
/** A fixed day, so daily activity does not depend on when the test runs (relative to `now` passed to the app). */
export const T0 = Date.parse('2026-03-02T09:00:00.000Z')

export const ev = {
  userCreated: (userId: string, displayName: string, role: Role = 'student') => newEnvelope(userCreatedV1, { userId, email: `${userId.slice(-8)}@example.org`, displayName, role, verification: { sealedToken: 'x', expiresAt: iso(T0 + 86_400_000) } }),
  classroomCreated: (classroomId: string, organizationId: string, teacherId: string) => newEnvelope(classroomCreatedV1, { classroomId, organizationId, teacherId, name: 'Class 7B', createdAt: iso(T0) }),
  memberAdded: (classroomId: string, organizationId: string, userId: string, at = T0) => newEnvelope(classroomMemberAddedV1, { classroomId, organizationId, userId, role: 'student', joinedAt: iso(at) }),
  memberRemoved: (classroomId: string, organizationId: string, userId: string, at = T0 + 1000) => newEnvelope(classroomMemberRemovedV1, { classroomId, organizationId, userId, role: 'student', removedBy: userId, removedAt: iso(at) }),
  /** Without `kind` an item as exam described one before item types: no type, categories or irt. */
  itemChanged: (itemId: string, organizationId: string, fields: Partial<{ subject: string, status: 'draft' | 'pretest' | 'active' | 'retired', a: number, b: number, c: number, d: number, at: number, kind: Pick<ExamItemChangedV1, 'type' | 'categories' | 'irt'> }> = {}) =>
    newEnvelope(examItemChangedV1, { itemId, organizationId, subject: fields.subject ?? 'math', topics: ['algebra'], status: fields.status ?? 'active', a: fields.a ?? 1, b: fields.b ?? 0, c: fields.c ?? 0, d: fields.d ?? 1, ...fields.kind, changedAt: iso(fields.at ?? T0) }),
  assignmentChanged: (examId: string, classroomId: string, organizationId: string, assigned = true, at = T0) =>
    newEnvelope(examAssignmentChangedV1, { examId, classroomId, organizationId, title: 'Algebra check', examKind: 'adaptive', subject: 'math', assigned, changedBy: organizationId, changedAt: iso(at) })
}

export interface SessionSpec {
  organizationId: string
  studentId: string
  examId?: string
  subject?: string | null
  theta: number
  se?: number
  /** Items answered in order: [itemId, correct, pretest?]. */
  answers: Array<[string, boolean, boolean?]>
  /** When it started (ms); answers follow a minute apart. */
  at?: number
  /** The accommodation profile its started and completed events carry (null: none); absent: events from before profiles. */
  accommodations?: Accommodations | null
}

/** The events exam publishes for one whole session: started, one response per answer, completed. */
export function sessionEvents (spec: SessionSpec): Envelope[] {
  const sessionId = id()
  const examId = spec.examId ?? id()
  const at = spec.at ?? T0
  const base = { sessionId, examId, organizationId: spec.organizationId, studentId: spec.studentId }
  const scored = spec.answers.filter(([, , pretest]) => pretest !== true)
  const accommodations = spec.accommodations === undefined ? {} : { accommodations: spec.accommodations }
  return [
    newEnvelope(examSessionStartedV1, { ...base, examKind: 'adaptive', startTheta: 0, startedAt: iso(at), deadlineAt: null, ...accommodations }),
    ...spec.answers.map(([itemId, correct, pretest], position) => newEnvelope(examResponseRecordedV1, {
      ...base, itemId, position, correct, pretest: pretest === true, thetaAfter: spec.theta, seAfter: spec.se ?? 0.3, timeTakenMs: 1000, servedAt: iso(at + position * 60_000), answeredAt: iso(at + position * 60_000 + 1000)
    })),
    newEnvelope(examSessionCompletedV1, {
      ...base, subject: spec.subject === undefined ? 'math' : spec.subject, reason: 'max-items', theta: spec.theta, se: spec.se ?? 0.3, itemsAnswered: scored.length,
      correctCount: scored.filter(([, c]) => c).length, topics: [], startedAt: iso(at), completedAt: iso(at + spec.answers.length * 60_000 + 5000), ...accommodations
    })
  ]
}

/** A school as auth announces it: an organization, a teacher with a classroom of named students. */
export async function school (ctx: AnalyticsContext, students = 2) {
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const admin = await ctx.as('admin', organizationId)
  const pupils = await Promise.all(Array.from({ length: students }, async () => await ctx.as('student', organizationId)))
  const classroomId = id()
  await ctx.publish(ev.classroomCreated(classroomId, organizationId, teacher.userId), ...pupils.flatMap((p, i) => [ev.userCreated(p.userId, `Student ${i + 1}`), ev.memberAdded(classroomId, organizationId, p.userId)]))
  return { organizationId, teacher, admin, students: pupils, student: pupils[0]!, classroomId }
}
