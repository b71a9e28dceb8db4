import t from 'tap'
import { createTestDatabase, sleep } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { createDatabase, type PoolSettings } from '../src/index.js'

const pool = (databaseUrl: string, dbIdleInTransactionTimeoutMs: number): PoolSettings => ({ databaseUrl, dbPoolMax: 3, dbIdleTimeoutS: 30, dbMaxLifetimeS: 600, dbConnectTimeoutS: 2, dbIdleInTransactionTimeoutMs, serviceName: 'kit-test' })

t.test('every connection of a pool has the idle-in-transaction timeout of its settings', async (t) => {
  const database = createDatabase(pool(await createTestDatabase(t, migrateDatabase), 4321), {})
  t.teardown(() => database.close())
  // Three transactions open at once, so three connections answer.
  let entered = 0
  let allIn!: () => void
  const together = new Promise<void>((resolve) => { allIn = resolve })
  const seen = await Promise.all([1, 2, 3].map(async () => await database.sql.begin(async (tx) => {
    const [row] = await tx<Array<{ pid: number, timeout: string }>>`select pg_backend_pid() as pid, current_setting('idle_in_transaction_session_timeout') as timeout`
    if (++entered === 3) allIn()
    await together
    return row!
  })))
  t.equal(new Set(seen.map((s) => s.pid)).size, 3, 'three connections')
  t.same(seen.map((s) => s.timeout), ['4321ms', '4321ms', '4321ms'])
})

t.test('a transaction left idle past the timeout is ended by Postgres, and the pool carries on', async (t) => {
  const database = createDatabase(pool(await createTestDatabase(t, migrateDatabase), 300), {})
  t.teardown(() => database.close())
  const outcome = await database.sql.begin(async (tx) => {
    await tx`select 1`
    await sleep(1000)
    await tx`select 1`
  }).then(() => 'committed', (err: Error & { code?: string }) => err.code)
  t.not(outcome, 'committed', `the transaction failed (${outcome})`)
  const [row] = await database.sql<Array<{ one: number }>>`select 1 as one`
  t.equal(row?.one, 1, 'the pool answers on')
})
