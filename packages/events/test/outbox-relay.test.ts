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
