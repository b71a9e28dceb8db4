import t from 'tap'
import { buildKitApp } from './helper.js'

t.test('/metrics has default metrics and a request histogram labelled by route template', async (t) => {
  const { app } = await buildKitApp(t, (app) => { app.get('/items/:id', async () => ({ ok: true })) })
  await app.inject({ method: 'GET', url: '/items/42' })
  await app.inject({ method: 'GET', url: '/items/43' })
  const res = await app.ops.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.body, /process_cpu_user_seconds_total/)
  t.match(res.body, /http_request_duration_seconds_count\{route="\/items\/:id",method="GET",status_code="200"\} 2/)
  t.notMatch(res.body, /items\/42/, 'raw URLs never become labels')
})

t.test('readiness: a failing critical check makes it 503, a failing non-critical one degraded', async (t) => {
  let redisUp = true
  let dbUp = true
  const { app } = await buildKitApp(t, (app) => {
    app.health.add({ name: 'database', critical: true, check: async () => { if (!dbUp) throw new Error('down') } })
    app.health.add({ name: 'redis', critical: false, check: async () => { if (!redisUp) throw new Error('down') } })
  })
  let res = await app.ops.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'ready')
  redisUp = false
  res = await app.ops.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().status, 'degraded')
  t.same(res.json().checks, { database: 'up', redis: 'down' })
  dbUp = false
  res = await app.ops.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 503)
  t.equal(res.json().status, 'unavailable')
  const live = await app.ops.inject({ method: 'GET', url: '/health/live' })
  t.equal(live.statusCode, 200, 'liveness does not depend on dependencies')
})
