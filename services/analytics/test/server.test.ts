import t from 'tap'
import { ConfigError } from '@dreamseed/kit'
import { waitFor } from '@dreamseed/testing'
import { loadAnalyticsConfig } from '../src/config.js'
import { buildAnalytics } from './helper.js'

t.test('the settings have working defaults and bad values stop the service with every problem listed', async (t) => {
  const config = loadAnalyticsConfig({})
  t.equal(config.port, 3003)
  t.equal(config.cacheTtlSeconds, 300)
  t.same(config.consumerBackoffMs, [1000, 5000, 15000, 60000])
  const problems = (env: Record<string, string>): string[] => {
    try { loadAnalyticsConfig(env) } catch (err) { if (err instanceof ConfigError) return err.problems; throw err }
    return []
  }
  const bad = problems({ ANALYTICS_CACHE_TTL_S: '0', ANALYTICS_CONSUMER_BACKOFF_MS: 'soon', PORT: 'x' })
  t.same(bad.map((p) => p.split(' ')[0]).sort(), ['ANALYTICS_CACHE_TTL_S', 'ANALYTICS_CONSUMER_BACKOFF_MS', 'PORT'])
  t.ok(problems({ NODE_ENV: 'production' }).some((p) => p.startsWith('DATABASE_URL')), 'production demands its connection settings')
})

t.test('the service reports its consumers in readiness and documents its routes', async (t) => {
  const ctx = await buildAnalytics(t)
  // Redis and NATS connect in the background after start.
  const ready = await waitFor(async () => {
    const report = (await ctx.app.ops.inject({ method: 'GET', url: '/health/ready' })).json()
    return report.status === 'ready' ? report : false
  }, { what: 'readiness' })
  t.same(Object.keys(ready.checks).filter((c) => c.endsWith('consumer')).sort(), ['exam-consumer', 'organization-consumer', 'user-consumer'])
  const doc = (await ctx.app.ops.inject({ method: 'GET', url: '/docs/json' })).json()
  t.ok(doc.paths['/analytics/classrooms/{id}'] !== undefined && doc.paths['/analytics/items/{id}/promote'] !== undefined, 'routes in the OpenAPI document')
  const events = (await ctx.app.ops.inject({ method: 'GET', url: '/docs/asyncapi.json' })).body
  t.match(events, /analytics\.item\.promoted/, 'the event it produces in its AsyncAPI document')
  for (const url of ['/health/ready', '/docs/json', '/metrics']) t.equal((await ctx.app.inject({ method: 'GET', url })).statusCode, 404, `${url}: not on the public port`)
})
