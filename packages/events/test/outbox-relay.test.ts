import t from 'tap'
import postgres from 'postgres'
import { Registry } from 'prom-client'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { jetstream, jetstreamManager, AckPolicy } from '@nats-io/jetstream'
import { createTestDatabase, createTestStreams, startPrivateNats, sleep, waitFor, NATS_URL } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { applyStreams, newEnvelope, OUTBOX_LANES_PER_BATCH, outboxRow, startOutboxRelay, streamFor, userVerifiedV1 } from '../src/index.js'

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

/** One user.verified event of a user in the outbox; returns its id. */
async function insertEvent (sql: postgres.Sql, userId: string, n: number): Promise<string> {
  const e = newEnvelope(userVerifiedV1, { userId, email: `u${n}@b.org`, verifiedAt: new Date().toISOString() })
  const row = outboxRow(e, userId)
  await sql`insert into auth.outbox (id, type, version, aggregate_id, envelope) values (${row.id}, ${row.type}, ${row.version}, ${row.aggregateId}, ${sql.json(row.envelope as never)})`
  return row.id
}

const userIds = (n: number, tag: number): string[] => Array.from({ length: n }, (_, i) => `01936f3e-1c1a-7cc0-9b4e-${String(tag).padStart(4, '0')}${String(i).padStart(8, '0')}`)

/** Every event on a stream, in stream order (a consumer of its own). */
async function readStream (nc: NatsConnection, stream: string, n: number): Promise<Array<{ id: string, data: { userId: string } }>> {
  const jsm = await jetstreamManager(nc)
  const durable = `reader${Math.random().toString(36).slice(2, 8)}`
  await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit })
  const consumer = await jetstream(nc).consumers.get(stream, durable)
  const received: Array<{ id: string, data: { userId: string } }> = []
  while (received.length < n) {
    const m = await consumer.next({ expires: 5000 })
    if (m === null) break
    received.push(m.json())
    m.ack()
  }
  return received
}

/** Lanes held right now, by relay session (application name): the relays' advisory locks in this database. */
async function lanesHeld (sql: postgres.Sql): Promise<Record<string, number>> {
  const rows = await sql<Array<{ app: string, lanes: number }>>`
    select a.application_name as app, count(*)::int as lanes from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())
    group by 1`
  return Object.fromEntries(rows.map((r) => [r.app, r.lanes]))
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

t.test('two relays on one outbox while it is written share the lanes: both publish, every aggregate in order, none lost, none doubled', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const prefix = await createTestStreams(t, applyStreams)
  const observer = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(() => observer.end())
  // Two replicas: a pool and a NATS connection each (a relay's session is named after its pool).
  const replicas = await Promise.all(['replica-a', 'replica-b'].map(async (name) => {
    const sql = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: name } })
    const nc = await connect({ servers: NATS_URL })
    t.teardown(async () => { await nc.close(); await sql.end() })
    return { sql, nc }
  }))
  const relays = replicas.map(({ sql, nc }) => startOutboxRelay({ sql, table: 'auth.outbox', connection: handleOf(nc), prefix, log: quiet, batchSize: 10, pollMs: 10 }))
  t.teardown(async () => { for (const r of relays) await r.stop() })

  // Which lanes each relay's session holds, sampled until the outbox is drained.
  const samples: Array<Record<string, number>> = []
  let sampling = true
  const sampler = (async () => { while (sampling) { samples.push(await lanesHeld(observer)); await sleep(5) } })()
  // Four writers at once, ten users each, every user's 25 events written one after another.
  const writer = postgres(url, { max: 4, onnotice: () => {} })
  t.teardown(() => writer.end())
  const written: Record<string, string[]> = {}
  await Promise.all([1, 2, 3, 4].map(async (w) => {
    const users = userIds(10, w)
    for (let i = 0; i < 25; i++) {
      for (const userId of users) (written[userId] ??= []).push(await insertEvent(writer, userId, i))
    }
  }))
  await waitFor(async () => (await observer`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'outbox drained', timeoutMs: 60000 })
  sampling = false
  await sampler

  const counts = relays.map((r) => r.published())
  t.ok(counts.every((n) => n > 0), `both relays published (${counts.join(', ')})`)
  t.equal(counts[0]! + counts[1]!, 1000, 'each event published by one relay, once')
  const stream = streamFor(prefix, 'user.verified')
  const received = await readStream(replicas[0]!.nc, stream, 1000)
  t.equal(received.length, 1000, 'none lost')
  t.equal((await (await jetstreamManager(replicas[0]!.nc)).streams.info(stream)).state.messages, 1000, 'none doubled on the stream')
  const arrived: Record<string, string[]> = {}
  for (const e of received) (arrived[e.data.userId] ??= []).push(e.id)
  t.same(arrived, written, 'every user\'s events in the order written')
  const holding = samples.flatMap((s) => Object.values(s))
  t.ok(holding.length > 0, `lanes seen held in ${samples.filter((s) => Object.keys(s).length > 0).length} of ${samples.length} samples`)
  t.ok(Math.max(...holding) <= OUTBOX_LANES_PER_BATCH, `no relay ever held more than ${OUTBOX_LANES_PER_BATCH} lanes (most: ${Math.max(...holding)})`)
})

t.test('a relay stuck in its publishes holds only its share: another relay publishes the other lanes meanwhile, then retries the stuck one\'s events in order', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const prefix = await createTestStreams(t, applyStreams)
  const observer = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(() => observer.end())
  // 32 users, three events each: more lanes than one relay's share.
  const written: Record<string, string[]> = {}
  for (let i = 0; i < 3; i++) {
    for (const userId of userIds(32, 7)) (written[userId] ??= []).push(await insertEvent(observer, userId, i))
  }
  // Relay A publishes to a NATS server that is gone: every publish waits out its 3 s, with A's lanes held.
  const server = await startPrivateNats(t)
  const gone = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 })
  t.teardown(() => gone.close())
  await server.stop()
  const sqlA = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: 'stuck' } })
  t.teardown(() => sqlA.end())
  const a = startOutboxRelay({ sql: sqlA, table: 'auth.outbox', connection: { current: () => gone, connected: () => true }, prefix, log: quiet, pollMs: 60000, publishTimeoutMs: 3000 })
  t.teardown(() => a.stop())
  const stuckLanes = await waitFor(async () => (await lanesHeld(observer))['stuck-relay'], { what: 'relay A holding lanes' })

  const sqlB = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: 'working' } })
  const nc = await connect({ servers: NATS_URL })
  t.teardown(async () => { await nc.close(); await sqlB.end() })
  const b = startOutboxRelay({ sql: sqlB, table: 'auth.outbox', connection: handleOf(nc), prefix, log: quiet, pollMs: 10 })
  t.teardown(() => b.stop())
  await waitFor(() => b.published() > 0, { what: 'relay B publishing' })
  t.equal((await observer`select count(*)::int as n from auth.outbox where last_error is not null`)[0]?.n, 0, 'while A\'s publishes are still waiting (none has failed yet)')
  t.ok(stuckLanes <= OUTBOX_LANES_PER_BATCH, `A holds ${stuckLanes} lanes, no more than its share`)

  // A's publishes fail; its lanes are free again and B retries their events.
  await waitFor(async () => (await observer`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'outbox drained', timeoutMs: 30000 })
  t.ok((await observer`select count(*)::int as n from auth.outbox where last_error is not null`)[0]?.n > 0, 'A\'s failed publishes were noted')
  t.same([a.published(), b.published()], [0, 96], 'B published every event, A none')
  const received = await readStream(nc, streamFor(prefix, 'user.verified'), 96)
  const arrived: Record<string, string[]> = {}
  for (const e of received) (arrived[e.data.userId] ??= []).push(e.id)
  t.same(arrived, written, 'every user\'s events once, in the order written')
})

t.test('an aggregate stops at its first failed publish while the others go on, and its retry keeps the order', async (t) => {
  const sql = postgres(await createTestDatabase(t, migrateDatabase), { max: 2, onnotice: () => {} })
  t.teardown(() => sql.end())
  const prefix = await createTestStreams(t, applyStreams)
  const nc = await connect({ servers: NATS_URL })
  t.teardown(() => nc.close())
  const [x, y] = userIds(2, 9) as [string, string]
  const ids: Record<string, string[]> = { [x]: [], [y]: [] }
  for (let i = 0; i < 3; i++) {
    for (const userId of [x, y]) ids[userId]!.push(await insertEvent(sql, userId, i))
  }
  const [x1, x2, x3] = ids[x]! as [string, string, string]
  // x's second event names a type whose subject no stream takes: its publish fails at once (no responders).
  await sql`update auth.outbox set envelope = jsonb_set(envelope, '{type}', '"nobody.listens"') where id = ${x2}`
  const relay = startOutboxRelay({ sql, table: 'auth.outbox', connection: handleOf(nc), prefix, log: quiet, pollMs: 60000 })
  t.teardown(() => relay.stop())
  await relay.drain()
  const state = async (): Promise<Record<string, string>> => Object.fromEntries((await sql<Array<{ id: string, state: string }>>`
    select id, case when published_at is not null then 'published' when last_error is not null then 'failed' when attempts = 0 then 'untried' else '?' end as state
    from auth.outbox`).map((r) => [r.id, r.state]))
  t.same(await state(), { [x1]: 'published', [x2]: 'failed', [x3]: 'untried', ...Object.fromEntries(ids[y]!.map((id) => [id, 'published'])) }, 'x stopped at x2; y went on')

  await sql`update auth.outbox set envelope = jsonb_set(envelope, '{type}', '"user.verified"') where id = ${x2}`
  await relay.drain()
  const received = await readStream(nc, streamFor(prefix, 'user.verified'), 6)
  t.same(received.filter((e) => e.data.userId === x).map((e) => e.id), [x1, x2, x3], 'x in order, each once')
  t.same(received.filter((e) => e.data.userId === y).map((e) => e.id), ids[y], 'y in order, each once')
})

t.test('a relay whose Postgres session ends in the middle of a batch carries on: every event out once, in order', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const observer = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(() => observer.end())
  const server = await startPrivateNats(t)
  const prefix = await createTestStreams(t, applyStreams, server.url)
  const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 })
  t.teardown(() => nc.close())
  const written: Record<string, string[]> = {}
  for (let i = 0; i < 5; i++) {
    for (const userId of userIds(4, 11)) (written[userId] ??= []).push(await insertEvent(observer, userId, i))
  }
  // NATS away: the relay's batch waits in its publishes, lanes held, the session idle.
  await server.stop()
  const sql = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: 'replica' } })
  t.teardown(() => sql.end())
  const relay = startOutboxRelay({ sql, table: 'auth.outbox', connection: { current: () => nc, connected: () => true }, prefix, log: quiet, pollMs: 50, publishTimeoutMs: 3000 })
  t.teardown(() => relay.stop())
  await waitFor(async () => (await lanesHeld(observer))['replica-relay'], { what: 'the relay holding lanes' })
  const [ended] = await observer<Array<{ ended: boolean }>>`select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = 'replica-relay'`
  t.equal(ended?.ended, true, 'the relay\'s session ended')
  await server.start()
  await waitFor(async () => (await observer`select count(*)::int as n from auth.outbox where published_at is null`)[0]?.n === 0, { what: 'outbox drained', timeoutMs: 30000 })
  const received = await readStream(nc, streamFor(prefix, 'user.verified'), 20)
  const arrived: Record<string, string[]> = {}
  for (const e of received) (arrived[e.data.userId] ??= []).push(e.id)
  t.same(arrived, written, 'every user\'s events once, in the order written')
  t.equal((await (await jetstreamManager(nc)).streams.info(streamFor(prefix, 'user.verified'))).state.messages, 20, 'none doubled')
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
