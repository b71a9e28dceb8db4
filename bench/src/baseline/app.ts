// The floor every scenario is divided by: bare routes in the same Fastify setup as the services (the kit's
// instance, logger, validators, error model, pool and Redis client), each doing only the one thing the real
// route cannot avoid: an argon2id hash or verification, one Postgres insert, one select, one Redis GET, a
// JetStream consume-and-ack loop, nothing at all.
import { hash, verify, type Options } from '@node-rs/argon2'
import { and, asc, eq, sql as drizzleSql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { jetstream, type JsMsg } from '@nats-io/jetstream'
import { headers as natsHeaders } from '@nats-io/transport-node'
import * as examTables from '@dreamseed/schema/exam'
import { consumerConfig, ensureConsumer, subjectOf, type Envelope } from '@dreamseed/events'
import { authenticationPlugin, createFastify, databasePlugin, kitPlugin, natsPlugin, redisPlugin } from '@dreamseed/kit'
import { createStudentProgressRepository } from '@dreamseed/analytics/repositories/student-progress-repository'
import type { BaselineConfig } from './config.js'

// @node-rs/argon2 declares Algorithm as a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>
const PASSWORD = Type.Object({ password: Type.String({ minLength: 8, maxLength: 128 }) }, { additionalProperties: false })
const ANSWER = Type.Object({
  sessionId: Type.String({ format: 'uuid' }),
  itemId: Type.String({ format: 'uuid' }),
  optionIndex: Type.Integer({ minimum: 0, maximum: 9 }),
  timeTakenMs: Type.Optional(Type.Integer({ minimum: 0 }))
}, { additionalProperties: false })

export async function buildBaseline (config: BaselineConfig): Promise<FastifyInstance> {
  const app = createFastify({ serviceName: config.serviceName, logLevel: config.logLevel, bodyLimit: config.bodyLimit })
  await app.register(kitPlugin)
  await app.register(databasePlugin, { settings: config, schema: examTables })
  await app.register(redisPlugin, { url: config.redisUrl })
  await app.register(natsPlugin, { servers: config.natsUrl, name: config.serviceName })

  const params = { algorithm: ARGON2ID, memoryCost: config.argon2MemoryCost, timeCost: config.argon2TimeCost, parallelism: config.argon2Parallelism } satisfies Options
  const stored = await hash('correct horse battery staple', params)
  const db = app.database.db
  const { exams, sessions, assignments, classroomMembers } = examTables
  await app.database.sql.unsafe(`create schema if not exists bench;
    create table if not exists bench.responses (id uuid primary key default gen_random_uuid(), session_id uuid not null, item_id uuid not null,
      option_index integer not null, time_taken_ms integer, answered_at timestamptz not null default now())`)

  app.post('/bare/hash', { schema: { body: PASSWORD } }, async (request, reply) => {
    await hash(request.body.password, params)
    return reply.code(202).send({ status: 'hashed' })
  })

  app.post('/bare/verify', { schema: { body: PASSWORD } }, async (request) => {
    return { ok: await verify(stored, request.body.password) }
  })

  app.post('/bare/insert', { schema: { body: ANSWER } }, async (request) => {
    const b = request.body
    await app.database.sql`insert into bench.responses (session_id, item_id, option_index, time_taken_ms) values (${b.sessionId}, ${b.itemId}, ${b.optionIndex}, ${b.timeTakenMs ?? null})`
    return { recorded: true }
  })

  // The same insert through drizzle's db.execute, as the services write: postgres.js does not prepare those
  // statements, so each one waits for a Describe round trip before it can run (scenario 4i).
  app.post('/bare/insert-drizzle', { schema: { body: ANSWER } }, async (request) => {
    const b = request.body
    await db.execute(drizzleSql`insert into bench.responses (session_id, item_id, option_index, time_taken_ms) values (${b.sessionId}, ${b.itemId}, ${b.optionIndex}, ${b.timeTakenMs ?? null})`)
    return { recorded: true }
  })

  app.get('/bare/ping', async () => ({ ok: true }))

  // exam's GET /exam/exams for a student, without the access token: the same select, built the same way.
  app.get('/bare/exams', { schema: { querystring: Type.Object({ student: Type.String({ format: 'uuid' }) }) } }, async (request) => {
    const student = request.query.student
    const rows = await db.select({ id: exams.id, title: exams.title, kind: exams.kind, stopping: exams.stopping, sessionId: sessions.id, sessionStatus: sessions.status })
      .from(exams).leftJoin(sessions, and(eq(sessions.examId, exams.id), eq(sessions.studentId, student)))
      .where(drizzleSql`exists (select 1 from ${assignments} a join ${classroomMembers} m on m.classroom_id = a.classroom_id
        where a.exam_id = ${exams.id} and m.user_id = ${student} and not m.removed)`)
      .orderBy(asc(exams.id)).limit(51)
    return { exams: rows.slice(0, 50).map((r) => ({ id: r.id, title: r.title, kind: r.kind, timeLimitSeconds: r.stopping.timeLimitSeconds ?? null, session: r.sessionId === null ? null : { id: r.sessionId, status: r.sessionStatus } })), nextCursor: null }
  })

  // Raw JetStream publishing of envelopes the bench hands over: one at a time awaiting each ack, as the
  // outbox relay must within one aggregate (to keep its order), and pipelined, as it may across aggregates.
  app.post('/bare/publish', { bodyLimit: 50 * 1024 * 1024, schema: { body: Type.Object({ prefix: Type.String(), mode: Type.Union([Type.Literal('sequential'), Type.Literal('pipelined')]), envelopes: Type.Array(Type.Any()) }) } }, async (request) => {
    const js = jetstream(await app.nats.ready())
    const { prefix, mode } = request.body
    const envelopes = request.body.envelopes as Envelope[]
    const publish = async (envelope: Envelope) => {
      const h = natsHeaders()
      h.set('Nats-Msg-Id', envelope.id)
      h.set('Ds-Type', envelope.type)
      h.set('Ds-Version', String(envelope.version))
      return await js.publish(subjectOf(prefix, envelope.type, envelope.version), JSON.stringify(envelope), { msgID: envelope.id, headers: h, timeout: 5000 })
    }
    const started = performance.now()
    if (mode === 'sequential') {
      for (const envelope of envelopes) await publish(envelope)
    } else {
      for (let i = 0; i < envelopes.length; i += 256) await Promise.all(envelopes.slice(i, i + 256).map(publish))
    }
    return { published: envelopes.length, elapsedMs: performance.now() - started }
  })

  // Analytics' cached read without anything around it: one Redis GET, its value sent as it is (scenario 5's
  // cached rows; the bench stores a real answer of the route under the key first, so the sizes match).
  app.get('/bare/redis-get', { schema: { querystring: Type.Object({ key: Type.String({ minLength: 1 }) }) } }, async (request, reply) => {
    const value = await app.redis.get(request.query.key)
    if (value === null) return await reply.code(404).send({ error: { code: 'BENCH_NO_KEY', message: 'no such key' } })
    return await reply.type('application/json; charset=utf-8').send(value)
  })
  app.post('/bare/redis-set', { bodyLimit: 10 * 1024 * 1024, schema: { body: Type.Object({ key: Type.String({ minLength: 1 }), value: Type.String(), ttlSeconds: Type.Integer({ minimum: 1 }) }) } }, async (request, reply) => {
    await app.redis.set(request.body.key, request.body.value, 'EX', request.body.ttlSeconds)
    return await reply.code(204).send()
  })

  // Analytics' uncached student progress, down to the one select after its access lookup: the student's totals
  // and days (over the route's default 90), run by analytics' own repository through drizzle's db.execute: the
  // floor of a read that misses the cache (scenario 5c).
  const progress = createStudentProgressRepository(db)
  app.get('/bare/student-head', { schema: { querystring: Type.Object({ student: Type.String({ format: 'uuid' }) }) } }, async (request) => {
    const student = request.query.student
    const head = await progress.totals(student, new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10))
    return { studentId: student, sessionsTaken: head.sessions_taken, itemsAnswered: head.answered, correct: head.correct, timeSpentMs: head.time_ms }
  })

  // A bare consume-and-ack loop (scenario 6c): a durable pull consumer configured as analytics' exam consumer
  // is (the events package's consumerConfig, 8 at once, 16 pulled), each message parsed and acknowledged, no
  // database. Answers with the time of every acknowledgement once n have been, or at the deadline.
  app.post('/bare/consume', { schema: { body: Type.Object({ stream: Type.String(), durable: Type.String(), n: Type.Integer({ minimum: 1 }), timeoutMs: Type.Integer({ minimum: 1 }) }) } }, async (request) => {
    const { stream, durable, n, timeoutMs } = request.body
    const nc = await app.nats.ready()
    const concurrency = 8
    await ensureConsumer(nc, stream, consumerConfig({ durable, maxDeliver: 20, ackWaitMs: 30_000, concurrency }))
    const messages = await (await jetstream(nc).consumers.get(stream, durable)).consume({ max_messages: concurrency * 2 })
    const times: number[] = []
    let bad = 0
    const timer = setTimeout(() => { void messages.close() }, timeoutMs)
    try {
      for await (const m of messages as AsyncIterable<JsMsg>) {
        try { m.json<Envelope>() } catch { bad++ }
        m.ack()
        times.push(performance.now())
        if (times.length >= n) break
      }
    } finally {
      clearTimeout(timer)
      await messages.close()
    }
    return { acked: times.length, bad, times }
  })

  // The kit's authentication (auth's JWKS, the Redis revocation check) on an otherwise empty route: what a
  // bearer token costs by itself, to read beside /bare/ping.
  await app.register(async (scope) => {
    await scope.register(authenticationPlugin, { keys: { jwksUrl: config.authJwksUrl }, issuer: config.authIssuer, audience: config.authAudience, redis: () => app.redis })
    scope.get('/bare/whoami', { preHandler: scope.requireUser }, async (request) => ({ id: request.user!.id }))
  })
  return app
}
