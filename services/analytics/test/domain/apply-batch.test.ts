import t from 'tap'
import postgres from 'postgres'
import * as analyticsTables from '@dreamseed/schema/analytics'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { examResponseRecordedV1, newEnvelope, newEventId, type Envelope, type ReceivedEvent } from '@dreamseed/events'
import { createDatabase } from '@dreamseed/kit'
import { createTestDatabase } from '@dreamseed/testing'
import { createBatchApplier, createEventApplier, type Applied } from '../../src/domain/apply-event.js'
import { READ_MODEL_TABLES } from '../../src/repositories/read-models-repository.js'
import { eventStream, received } from './event-stream.js'

interface T { teardown: (fn: () => unknown) => void }

/** A fresh analytics database, its pool and a plain client to read it back with. */
async function database (t: T) {
  const url = await createTestDatabase(t, migrateDatabase)
  const db = createDatabase({ databaseUrl: url, dbPoolMax: 2, dbIdleTimeoutS: 30, dbMaxLifetimeS: 600, dbConnectTimeoutS: 5, dbIdleInTransactionTimeoutMs: 60_000, serviceName: 'analytics-test' }, analyticsTables)
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  t.teardown(async () => { await sql.end(); await db.close() })
  return { db: db.db, sql }
}

/** Every read-model table, whole rows in a total order; the inbox without applied_at (when, not what). */
async function snapshot (sql: postgres.Sql): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const table of READ_MODEL_TABLES) {
    const columns = table === 'inbox' ? 'event_id, type' : '*'
    out[table] = (await sql.unsafe(`select ${columns} from analytics.${table} t order by t::text`)).map((row) => ({ ...row }))
  }
  return out
}

/** What the consumer is told and does after the commit, comparable across the two ways. */
const outcome = (a: Applied) => ({ result: a.result, applied: a.applied, organizations: [...a.organizations].sort() })

async function oneByOne (db: Parameters<typeof createEventApplier>[0], events: ReceivedEvent[]) {
  const apply = createEventApplier(db)
  const outcomes = []
  for (const e of events) outcomes.push(outcome(await apply(e)))
  return outcomes
}

async function inBatches (db: Parameters<typeof createBatchApplier>[0], events: ReceivedEvent[], sizes: () => number) {
  const apply = createBatchApplier(db)
  const outcomes = []
  for (let i = 0; i < events.length;) {
    const batch = events.slice(i, i + sizes())
    outcomes.push(...(await apply(batch)).map(outcome))
    i += batch.length
  }
  return outcomes
}

const count = (rows: Record<string, unknown[]>): Record<string, number> => Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v.length]))

for (const seed of [17, 4242]) {
  t.test(`a generated stream (seed ${seed}) applied in batches leaves every read model as applied one event at a time`, async (t) => {
    const events = eventStream(seed).map((e, i) => received(e, i + 1))
    const [single, batched, whole] = await Promise.all([database(t), database(t), database(t)])
    const cycle = [1, 7, 80, 3, 33, 64, 2, 50, 13]
    let n = seed
    const sizes = (): number => cycle[n++ % cycle.length]!

    const expected = await oneByOne(single.db, events)
    const reference = await snapshot(single.sql)
    t.same(await inBatches(batched.db, events, sizes), expected, 'every event gets the same outcome (ack, reject, applied or not, organizations)')
    t.same(await snapshot(batched.sql), reference, 'batches of 1 to 80 events')
    t.same(await inBatches(whole.db, events, () => events.length), expected)
    t.same(await snapshot(whole.sql), reference, 'the whole stream as one batch')

    // The comparison is only as good as the stream: it holds every kind of row and every kind of outcome.
    const tables = count(reference)
    t.ok(Object.values(tables).every((rows) => rows > 0), `rows in every table: ${JSON.stringify(tables)}`)
    t.ok(expected.filter((o) => o.result.kind === 'reject').length >= 4, 'events that break their contract were rejected')
    t.ok(expected.filter((o) => o.result.kind === 'ack' && !o.applied).length > 20, 'redeliveries and ignored events were acknowledged and not applied')
    // Fewer than the stream holds: voided sessions keep none.
    t.ok(tables.responses! > 150, `${tables.responses} responses`)
    // And the fields added within v1 beside events without them.
    const rows = (table: string) => reference[table] as Array<Record<string, unknown>>
    t.ok(rows('responses').some((r) => r.max_score === 4 && r.score !== 0) && rows('responses').some((r) => r.max_score === 2), 'responses to rating and partial-credit items')
    t.ok(rows('items').some((r) => r.categories === 5 && r.irt !== null) && rows('items').some((r) => r.changed_at !== null && r.type === null), 'items with and without types')
    t.ok(rows('sessions').some((r) => Array.isArray(r.types)) && rows('sessions').some((r) => r.completed_at !== null && r.types === null), 'sessions with and without per-type results')
    t.ok(rows('sessions').some((r) => r.voided === true && r.completed_at !== null) && rows('sessions').some((r) => r.voided === false && r.completed_at !== null), 'voided sessions beside kept ones')
    t.ok(rows('sessions').some((r) => (r.extension_s as number) > 0 && r.deadline_at !== null), 'sessions given more time')
  })
}

t.test('a batch delivered again after its commit changes nothing, each of its events a duplicate', async (t) => {
  const { db, sql } = await database(t)
  const events = eventStream(99, { organizations: 1, studentsEach: 4 }).map((e, i) => received(e, i + 1))
  const apply = createBatchApplier(db)
  const first = await apply(events)
  t.ok(first.filter((o) => o.applied).length > 50)
  const before = await snapshot(sql)
  const again = await apply(events.map((e) => ({ ...e, deliveryCount: 2 })))
  t.same(again.filter((o) => o.applied), [], 'nothing applied the second time')
  t.same(again.map((o) => o.result.kind), first.map((o) => o.result.kind), 'acknowledged again (and the breaches rejected again)')
  t.same(await snapshot(sql), before)
})

t.test('a batch holding an event that breaks its contract rejects that one and applies the rest', async (t) => {
  const { db, sql } = await database(t)
  const base = { sessionId: newEventId(), examId: newEventId(), organizationId: newEventId(), studentId: newEventId(), correct: true, pretest: false, thetaAfter: 0.1, seAfter: 0.5, timeTakenMs: 900, servedAt: '2026-03-02T09:00:00.000Z', answeredAt: '2026-03-02T09:01:00.000Z' }
  const good = Array.from({ length: 5 }, (_, position) => newEnvelope(examResponseRecordedV1, { ...base, itemId: newEventId(), position }))
  const broken: Envelope<unknown> = { ...newEnvelope(examResponseRecordedV1, { ...base, itemId: newEventId(), position: 5 }), data: { ...base, itemId: 'not-a-uuid', position: 5 } }
  const outcomes = await createBatchApplier(db)([...good.slice(0, 2), broken, ...good.slice(2)].map((e) => received(e)))
  t.same(outcomes.map((o) => o.result.kind), ['ack', 'ack', 'reject', 'ack', 'ack', 'ack'])
  t.match(outcomes[2]!.result, { reason: /^exam\.response\.recorded\.v1 breaks its contract/ })
  t.same(outcomes.map((o) => o.applied), [true, true, false, true, true, true])
  t.same((await sql`select position from analytics.responses order by position`).map((r) => r.position), [0, 1, 2, 3, 4])
  t.same((await sql`select event_id from analytics.inbox order by event_id`).map((r) => r.event_id), good.map((e) => e.id).sort(), 'the rejected event is not in the inbox')
})
