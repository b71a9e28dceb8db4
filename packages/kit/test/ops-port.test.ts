// The operational endpoints answer on OPS_PORT alone: the public port serves the API and says 404 to them, and
// readiness names what is down without saying why (that goes to the log).
import t from 'tap'
import { createTestDatabase, waitFor } from '@dreamseed/testing'
import { migrateDatabase } from '@dreamseed/schema/migrate'
import { databasePlugin, listenOnBothPorts, openApiPlugin, redisPlugin } from '../src/index.js'
import { buildKitApp } from './helper.js'

const OPS_PATHS = ['/metrics', '/health/live', '/health/ready', '/health/database/pool', '/docs/json', '/docs', '/docs/asyncapi.json']
const pool = (databaseUrl: string) => ({ databaseUrl, dbPoolMax: 2, dbIdleTimeoutS: 30, dbMaxLifetimeS: 600, dbConnectTimeoutS: 2, dbIdleInTransactionTimeoutMs: 60000, serviceName: 'kit-test' })

async function listening (t: Parameters<typeof buildKitApp>[0], dependencies: { databaseUrl: string, redisUrl: string }) {
  const built = await buildKitApp(t, async (app) => {
    await app.register(openApiPlugin, { title: 'Ops test', description: 'A service', events: { asyncapi: '3.0.0' } })
    await app.register(databasePlugin, { settings: pool(dependencies.databaseUrl), schema: {} })
    await app.register(redisPlugin, { url: dependencies.redisUrl })
    app.get('/things', async () => ({ things: [] }))
  })
  const urls = await listenOnBothPorts(built.app, { host: '127.0.0.1', port: 0, opsPort: 0 })
  return { ...built, ...urls }
}

t.test('a listening service serves its API on the public port and metrics, health and documents on the ops port only', async (t) => {
  const { app, url, opsUrl } = await listening(t, { databaseUrl: await createTestDatabase(t, migrateDatabase), redisUrl: 'redis://127.0.0.1:6379' })
  t.not(url, opsUrl, 'two ports')
  await waitFor(async () => (await fetch(`${opsUrl}/health/ready`)).status === 200, { what: 'ready' })
  t.equal((await fetch(`${url}/things`)).status, 200, 'the API on the public port')
  t.equal((await fetch(`${opsUrl}/things`)).status, 404, 'and not on the ops port')
  for (const path of OPS_PATHS) {
    const res = await fetch(`${url}${path}`)
    t.equal(res.status, 404, `public ${path}: 404`)
    const body = await res.json() as { error: { code: string, requestId: string } }
    t.equal(body.error.code, 'ROUTE_NOT_FOUND', `public ${path}: in the error model`)
    const ops = await fetch(`${opsUrl}${path}`, { redirect: 'manual' })
    await ops.arrayBuffer()
    t.ok(ops.status === 200 || (path === '/docs' && ops.status === 302), `ops ${path}: ${ops.status}`)
  }
  const metrics = await (await fetch(`${opsUrl}/metrics`)).text()
  t.match(metrics, /http_request_duration_seconds_count\{route="\/things",method="GET",status_code="200"\} 1/, 'API requests are measured as before')
  t.match(metrics, /http_request_duration_seconds_count\{route="\/health\/live",method="GET",status_code="200"\} 1/, 'and probes too, under their own routes')
  t.match(metrics, /http_request_duration_seconds_count\{route="unmatched",method="GET",status_code="404"\} 8/, 'the refused ones as unmatched routes')

  await app.close()
  await t.rejects(fetch(`${url}/things`), 'the public port is closed with the app')
  await t.rejects(fetch(`${opsUrl}/health/live`), 'and so is the ops port')
})

t.test('readiness with a dependency down is 503 naming it, with no error text; the reason goes to the log', async (t) => {
  const { opsUrl, log } = await listening(t, { databaseUrl: 'postgres://dreamseed_probe@127.0.0.1:1/secret_db', redisUrl: 'redis://127.0.0.1:1' })
  const res = await fetch(`${opsUrl}/health/ready`)
  const text = await res.text()
  t.equal(res.status, 503)
  t.same(JSON.parse(text), { status: 'unavailable', checks: { database: 'down', redis: 'down' } })
  t.notMatch(text, /ECONNREFUSED|127\.0\.0\.1|dreamseed_probe|secret_db|error|message/i, 'nothing of why')
  const logged = log.lines.filter((l) => l.msg === 'readiness: dependency down').map((l) => [l.check, (l.err as { message?: string } | undefined)?.message ?? ''])
  t.same(logged.map(([check]) => check).sort(), ['database', 'redis'], 'each down dependency is logged')
  t.ok(logged.every(([, message]) => message !== ''), 'with its error')
  await (await fetch(`${opsUrl}/health/ready`)).arrayBuffer()
  t.equal(log.lines.filter((l) => l.msg === 'readiness: dependency down').length, 2, 'once, not at every probe')
})
