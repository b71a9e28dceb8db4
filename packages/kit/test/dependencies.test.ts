import t from 'tap'
import { sql } from 'drizzle-orm'
import { createTestDatabase, waitFor } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { databasePlugin, natsPlugin, redisPlugin } from '../src/index.js'
import { buildKitApp } from './helper.js'

const pool = (databaseUrl: string) => ({ databaseUrl, dbPoolMax: 4, dbIdleTimeoutS: 30, dbMaxLifetimeS: 600, dbConnectTimeoutS: 2, dbIdleInTransactionTimeoutMs: 60000, serviceName: 'kit-test' })

t.test('against the real Postgres, NATS and Redis the service is ready, and the pool reports its figures', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const { app } = await buildKitApp(t, async (app) => {
    await app.register(databasePlugin, { settings: pool(url), schema: {} })
    await app.register(redisPlugin, { url: 'redis://127.0.0.1:6379' })
    await app.register(natsPlugin, { servers: 'nats://127.0.0.1:4222', name: 'kit-test' })
    app.get('/count', async () => { await app.database.db.execute('select 1'); await app.database.db.execute('select 2'); return { ok: true } })
  })
  const ready = await waitFor(async () => {
    const body = (await app.ops.inject({ method: 'GET', url: '/health/ready' })).json()
    return body.status === 'ready' ? body : undefined
  }, { what: 'readiness' })
  t.same(Object.keys(ready.checks).sort(), ['database', 'nats', 'redis'])
  const before = app.database.queryCount()
  await app.inject({ method: 'GET', url: '/count' })
  t.equal(app.database.queryCount() - before, 2, 'queries issued through drizzle are counted')
  const stats = (await app.ops.inject({ method: 'GET', url: '/health/database/pool' })).json()
  t.equal(stats.max, 4)
  t.equal(stats.idleTimeoutSeconds, 30)
  t.equal(stats.maxLifetimeSeconds, 600)
  t.equal(stats.connectTimeoutSeconds, 2)
  t.ok(stats.open >= 1 && stats.open <= 4, `open connections within the pool size (${stats.open})`)
  t.equal(stats.open, stats.active + stats.idle)
})

t.test('Postgres down: requests get 503 in the error model and readiness is false; Redis and NATS down only degrade', async (t) => {
  const { app } = await buildKitApp(t, async (app) => {
    await app.register(databasePlugin, { settings: pool('postgres://postgres@127.0.0.1:1/none'), schema: {} })
    await app.register(redisPlugin, { url: 'redis://127.0.0.1:1' })
    await app.register(natsPlugin, { servers: 'nats://127.0.0.1:1', name: 'kit-test' })
    app.get('/query', async () => { await app.database.db.execute('select 1'); return { ok: true } })
  })
  const res = await app.inject({ method: 'GET', url: '/query' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().error.code, 'DEPENDENCY_UNAVAILABLE')
  const ready = await app.ops.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 503)
  t.same(ready.json(), { status: 'unavailable', checks: { database: 'down', redis: 'down', nats: 'down' } })
})

t.test('a failed query never logs its parameters, and data Postgres cannot store is a 400', async (t) => {
  const url = await createTestDatabase(t, migrateDatabase)
  const { app, log } = await buildKitApp(t, async (app) => {
    await app.register(databasePlugin, { settings: pool(url), schema: {} })
    app.get('/broken', async () => { await app.database.db.execute(sql`select * from no_such_table where secret = ${'hunter2-secret'}`); return {} })
    app.get('/nul', async () => { await app.database.db.execute(sql`select ${'a\u0000b'}::text`); return {} })
  })
  const broken = await app.inject({ method: 'GET', url: '/broken' })
  t.equal(broken.statusCode, 500)
  const line = log.lines.find((l) => l.msg === 'unhandled error')
  t.ok(line, 'the failure is logged')
  t.match(JSON.stringify(line), /no_such_table/, 'with the query')
  t.notMatch(log.text(), /hunter2-secret/, 'without its parameters')
  const nul = await app.inject({ method: 'GET', url: '/nul' })
  t.equal(nul.statusCode, 400)
  t.equal(nul.json().error.code, 'VALIDATION_FAILED')
})
