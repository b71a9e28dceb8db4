import t from 'tap'
import { count, eq } from 'drizzle-orm'
import { createTestDatabase } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { inbox, items } from '@dreamseed/schema/exam'
import { createDatabase, createInbox } from '../src/index.js'

const settings = (databaseUrl: string) => ({ databaseUrl, dbPoolMax: 2, dbIdleTimeoutS: 30, dbMaxLifetimeS: 600, dbConnectTimeoutS: 2, dbIdleInTransactionTimeoutMs: 60000, serviceName: 'kit-test' })
const envelope = { id: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10', type: 'test.happened' }

t.test('an event is applied once: a second delivery runs nothing and returns undefined', async (t) => {
  const database = createDatabase(settings(await createTestDatabase(t, migrateDatabase)), {})
  t.teardown(() => database.close())
  const { once } = createInbox(database.db, inbox)
  let runs = 0
  t.equal(await once(envelope, async () => ++runs), 1)
  t.equal(await once(envelope, async () => ++runs), undefined)
  t.equal(runs, 1)
  const [row] = await database.db.select({ n: count() }).from(inbox).where(eq(inbox.eventId, envelope.id))
  t.equal(row?.n, 1)
})

t.test('when applying fails, the inbox row is rolled back with the effects, so the redelivery applies it', async (t) => {
  const database = createDatabase(settings(await createTestDatabase(t, migrateDatabase)), {})
  t.teardown(() => database.close())
  const { once } = createInbox(database.db, inbox)
  await t.rejects(once(envelope, async (tx) => {
    await tx.select().from(items).limit(1)
    throw new Error('projection failed')
  }), /projection failed/)
  const [row] = await database.db.select({ n: count() }).from(inbox)
  t.equal(row?.n, 0)
  t.equal(await once(envelope, async () => 'applied'), 'applied')
})

t.test('a batch records every event once in one transaction and hands over the ids not seen before', async (t) => {
  const database = createDatabase(settings(await createTestDatabase(t, migrateDatabase)), {})
  t.teardown(() => database.close())
  const { once, batch } = createInbox(database.db, inbox)
  const ids = ['01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f11', '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f12', '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f13']
  await once({ id: ids[0]!, type: 'test.happened' }, async () => 'applied before')
  // The second id twice, the second time in capitals: one event all the same.
  const events = [ids[2]!, ids[0]!, ids[1]!, ids[1]!.toUpperCase()].map((id) => ({ id, type: 'test.happened' }))
  const fresh = await batch(events, async (_tx, fresh) => [...fresh].sort())
  t.same(fresh, [ids[1]!, ids[2]!], 'the ones not seen before, each once, in the caller\'s spelling')
  const [row] = await database.db.select({ n: count() }).from(inbox)
  t.equal(row?.n, 3)
  t.same(await batch(events, async (_tx, fresh) => [...fresh]), [], 'the same batch again: nothing fresh')
})

t.test('when a batch fails, all its inbox rows roll back with the effects', async (t) => {
  const database = createDatabase(settings(await createTestDatabase(t, migrateDatabase)), {})
  t.teardown(() => database.close())
  const { batch } = createInbox(database.db, inbox)
  const events = [{ id: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f21', type: 'a' }, { id: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f22', type: 'b' }]
  await t.rejects(batch(events, async () => { throw new Error('projection failed') }), /projection failed/)
  const [row] = await database.db.select({ n: count() }).from(inbox)
  t.equal(row?.n, 0)
  t.equal((await batch(events, async (_tx, fresh) => fresh)).size, 2, 'the redelivered batch is fresh')
})
