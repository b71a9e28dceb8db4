import t from 'tap'
import { createTestDatabase } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { databasePlugin } from '../src/index.js'
import { buildKitApp } from './helper.js'

const pool = (databaseUrl: string) => ({ databaseUrl, dbPoolMax: 4, dbIdleTimeoutS: 30, dbMaxLifetimeS: 600, dbConnectTimeoutS: 2, dbIdleInTransactionTimeoutMs: 60000, serviceName: 'kit-test' })
const sample = (body: string, series: string): number | undefined => {
  const m = new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(body)
  return m === null ? undefined : Number(m[1])
}

t.test('/metrics gives the pool\'s size and its busy and idle connections; a connection held by a transaction is busy', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const { app } = await buildKitApp(t, async (app) => { await app.register(databasePlugin, { settings: pool(url), schema: {} }) })
  // One connection held inside a transaction, between its statements.
  let release!: () => void
  const held = new Promise<void>((resolve) => { release = resolve })
  let inside!: () => void
  const entered = new Promise<void>((resolve) => { inside = resolve })
  const transaction = app.database.sql.begin(async (tx) => { await tx`select 1`; inside(); await held })
  await entered

  const body = (await app.ops.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(sample(body, 'dreamseed_db_pool_max'), 4)
  const busy = sample(body, 'dreamseed_db_pool_connections{state="busy"}')
  const idle = sample(body, 'dreamseed_db_pool_connections{state="idle"}')
  t.equal(busy, 2, 'the transaction\'s connection and the one reading the figures')
  t.ok(idle !== undefined && idle >= 0 && busy! + idle <= 4, `idle connections within the pool (${idle})`)
  t.notMatch(body, /dreamseed_db_pool_connections\{[^}]*service=/, 'the service label comes from the scrape target')
  release()
  await transaction
  const after = (await app.ops.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(sample(after, 'dreamseed_db_pool_connections{state="busy"}'), 1, 'only the reader once the transaction ended')
  t.equal(sample(after, 'dreamseed_db_pool_connections{state="idle"}'), 1, 'the transaction\'s connection is back in the pool')
})

t.test('with Postgres down /metrics still answers, without the connection figures', async (t) => {
  const { app } = await buildKitApp(t, async (app) => { await app.register(databasePlugin, { settings: pool('postgres://postgres@127.0.0.1:1/none'), schema: {} }) })
  const res = await app.ops.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.equal(sample(res.body, 'dreamseed_db_pool_max'), 4)
  t.notMatch(res.body, /dreamseed_db_pool_connections\{/)
  t.match(res.body, /http_request_duration_seconds/, 'the rest is there')
})
