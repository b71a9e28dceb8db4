import t from 'tap'
import postgres from 'postgres'
import { Registry } from 'prom-client'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream'
import { createTestDatabase, createTestStreams, startPrivateNats, waitFor, NATS_URL } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, newEnvelope, outboxRow, startOutboxRelay, streamFor, userVerifiedV1 } from '../src/index.js'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }
const handleOf = (nc: NatsConnection) => ({ current: () => nc, connected: () => !nc.isClosed() && nc.info !== undefined })

async function insertEvents (sql: postgres.Sql, n: number): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const e = newEnvelope(userVerifiedV1, { userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10', email: `u${i}@b.org`, verifiedAt: new Date().toISOString() })
    const row = outboxRow(e, e.data.userId)
    await sql`insert into auth.outbox (id, type, version, aggregate_id, envelope) values (${row.id}, ${row.type}, ${row.version}, ${row.aggregateId}, ${sql.json(row.envelope as never)})`
    ids.push(row.id)
  }
  return ids
}

async function readAll (nc: NatsConnection, stream: string, n: number): Promise<string[]> {
  const jsm = await jetstreamManager(nc)
  await jsm.consumers.add(stream, { durable_name: 'reader', ack_policy: AckPolicy.Explicit })
  const consumer = await jetstream(nc).consumers.get(stream, 'reader')
  const ids: string[] = []
  while (ids.length < n) {
    const m = await consumer.next({ expires: 5000 })
    if (m === null) break
    ids.push(m.json<{ id: string }>().id)
    m.ack()
  }
  return ids
}

t.test('the relay publishes every outbox row once, in order, and marks it published', async (t) => {
  const sql = postgres(await createTestDatabase(t, migrateDatabase), { max: 2, onnotice: () => {} })
  t.teardown(() => sql.end())
  const nc = await connect({ servers: NATS_URL })
  t.teardown(() => nc.close())
  const prefix = await createTestStreams(t, applyStreams)
  const ids = await insertEvents(sql, 250)
  const relay = startOutboxRelay({ sql, table: 'auth.outbox', connection: handleOf(nc), prefix, log: quiet, batchSize: 100, pollMs: 50 })
  t.teardown(() => relay.stop())
  await waitFor(async () => (await sql`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'outbox drained' })
  t.same(await readAll(nc, streamFor(prefix, 'user.verified'), 250), ids, 'all published, in write order')
  const info = await (await jetstreamManager(nc)).streams.info(streamFor(prefix, 'user.verified'))
  t.equal(info.state.messages, 250, 'no duplicates on the stream')
})

t.test('relays in three replicas at once publish each row once and keep every aggregate\'s events in order', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const writer = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(() => writer.end())
  const prefix = await createTestStreams(t, applyStreams)
  // Twelve users (spread over several lanes), 60 events each, interleaved: consecutive batches hold the same
  // users' later events, so a replica that ignored another's claim would publish a later event first.
  const users = Array.from({ length: 12 }, (_, i) => `01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f${String(i + 10)}`)
  const written: Record<string, string[]> = {}
  const write = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) {
      for (const userId of users) {
        const e = newEnvelope(userVerifiedV1, { userId, email: `u${i}@b.org`, verifiedAt: new Date().toISOString() })
        const row = outboxRow(e, userId)
        await writer`insert into auth.outbox (id, type, version, aggregate_id, envelope) values (${row.id}, ${row.type}, ${row.version}, ${row.aggregateId}, ${writer.json(row.envelope as never)})`
        ;(written[userId] ??= []).push(row.id)
      }
    }
  }
  // Half waits before the relays start; the other half arrives while they publish.
  await write(0, 30)
  const replicas = await Promise.all([1, 2, 3].map(async () => {
    const sql = postgres(url, { max: 2, onnotice: () => {} })
    const nc = await connect({ servers: NATS_URL })
    t.teardown(async () => { await nc.close(); await sql.end() })
    return { sql, nc }
  }))
  const relays = replicas.map(({ sql, nc }) => startOutboxRelay({ sql, table: 'auth.outbox', connection: handleOf(nc), prefix, log: quiet, batchSize: 7, pollMs: 10 }))
  t.teardown(async () => { for (const r of relays) await r.stop() })
  for (const r of relays) r.poke()
  await write(30, 60)
  for (const r of relays) r.poke()
  await waitFor(async () => (await writer`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'outbox drained' })
  const perReplica = replicas.map(({ nc }) => nc.stats().outMsgs)
  t.comment(`messages sent per replica (publishes and their acks' requests): ${perReplica.join(', ')}`)
  const nc = replicas[0]!.nc
  const received: Array<{ id: string, data: { userId: string } }> = []
  const jsm = await jetstreamManager(nc)
  await jsm.consumers.add(streamFor(prefix, 'user.verified'), { durable_name: 'order-reader', ack_policy: AckPolicy.Explicit })
  const consumer = await jetstream(nc).consumers.get(streamFor(prefix, 'user.verified'), 'order-reader')
  while (received.length < 720) {
    const m = await consumer.next({ expires: 5000 })
    if (m === null) break
    received.push(m.json())
    m.ack()
  }
  t.equal(received.length, 720, 'every row once')
  t.equal((await jsm.streams.info(streamFor(prefix, 'user.verified'))).state.messages, 720, 'no duplicates')
  for (const userId of users) t.same(received.filter((e) => e.data.userId === userId).map((e) => e.id), written[userId], `${userId.slice(-2)}: in write order`)
})

t.test('with NATS down nothing is lost: rows wait in the outbox and go out once NATS is back', async (t) => {
  const sql = postgres(await createTestDatabase(t, migrateDatabase), { max: 2, onnotice: () => {} })
  t.teardown(() => sql.end())
  const server = await startPrivateNats(t)
  const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 })
  t.teardown(() => nc.close())
  const prefix = await createTestStreams(t, applyStreams, server.url)
  let up = true
  const relay = startOutboxRelay({ sql, table: 'auth.outbox', connection: { current: () => nc, connected: () => up }, prefix, log: quiet, pollMs: 50, publishTimeoutMs: 500 })
  t.teardown(() => relay.stop())
  await server.stop()
  up = false
  const ids = await insertEvents(sql, 20)
  up = true // the relay believes NATS is up: publishes fail and must leave the rows for later
  await waitFor(async () => (await sql`select count(*)::int as n from auth.outbox where attempts > 0 and last_error is not null`)[0]?.n > 0, { what: 'a failed publish' })
  t.equal((await sql`select count(*)::int as n from auth.outbox where published_at is not null`)[0]?.n, 0)
  await server.start()
  await waitFor(async () => (await sql`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'outbox drained', timeoutMs: 20000 })
  t.same(await readAll(nc, streamFor(prefix, 'user.verified'), 20), ids)
})

t.test('/metrics gives the age of the oldest event still waiting in the outbox, and 0 once it is out', async (t) => {
  const sql = postgres(await createTestDatabase(t, migrateDatabase), { max: 2, onnotice: () => {} })
  t.teardown(() => sql.end())
  const prefix = await createTestStreams(t, applyStreams)
  const [oldest, newer] = await insertEvents(sql, 2)
  await sql`update auth.outbox set created_at = now() - interval '90 seconds' where id = ${oldest!}`
  await sql`update auth.outbox set created_at = now() - interval '10 seconds' where id = ${newer!}`
  await sql`update auth.outbox set created_at = now() - interval '1 hour', published_at = now() where id = ${(await insertEvents(sql, 1))[0]!}`
  const registry = new Registry()
  let up = false // NATS "down": the rows stay in the outbox until the test lets them go
  const nc = await connect({ servers: NATS_URL })
  t.teardown(() => nc.close())
  const relay = startOutboxRelay({ sql, table: 'auth.outbox', connection: { current: () => nc, connected: () => up }, prefix, log: quiet, pollMs: 50, metrics: registry })
  const age = async (): Promise<number | undefined> => {
    const m = /^dreamseed_outbox_oldest_pending_seconds (\S+)$/m.exec(await registry.metrics())
    return m === null ? undefined : Number(m[1])
  }
  const waiting = await age()
  t.ok(waiting !== undefined && waiting >= 90 && waiting < 120, `the unpublished row written 90 s ago, not the published one of an hour ago (${waiting})`)
  up = true
  await waitFor(async () => (await sql`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'outbox drained' })
  t.equal(await age(), 0, 'nothing waiting')
  await relay.stop()
  t.equal(registry.getSingleMetric('dreamseed_outbox_oldest_pending_seconds'), undefined, 'a stopped relay leaves the registry')
})
