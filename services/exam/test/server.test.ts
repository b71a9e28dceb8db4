import t from 'tap'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ConfigError } from '@dreamseed/kit'
import { loadExamConfig } from '../src/config.js'
import { buildExam } from './helper.js'

t.test('production refuses to start without its connection settings and says which are missing', async (t) => {
  const err = t.throws(() => loadExamConfig({ NODE_ENV: 'production' })) as ConfigError
  t.same(err.problems.map((p) => p.split(' ')[0]).sort(), ['AUTH_JWKS_URL', 'DATABASE_URL', 'NATS_PASSWORD', 'NATS_URL', 'NATS_USER', 'REDIS_URL'])
  t.throws(() => loadExamConfig({ EXAM_CONSUMER_BACKOFF_MS: '1000,soon' }), /EXAM_CONSUMER_BACKOFF_MS is invalid/)
  t.same(loadExamConfig({}).consumerBackoffMs, [1000, 5000, 15000, 60000])
})

t.test('the server exits with the list of problems instead of starting', async (t) => {
  const server = fileURLToPath(new URL('../src/server.ts', import.meta.url))
  const run = spawnSync(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', server], { env: { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://u:p@db/x' }, encoding: 'utf8', timeout: 30000 })
  t.equal(run.status, 1)
  t.match(run.stderr, /AUTH_JWKS_URL is required in production/)
  t.notMatch(run.stderr, /DATABASE_URL/, 'a variable that is set is not reported')
})

t.test('the service answers health checks and documents its routes', async (t) => {
  const ctx = await buildExam(t)
  const ready = await ctx.app.ops.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200, ready.body)
  const docs = await ctx.app.ops.inject({ method: 'GET', url: '/docs/json' })
  t.equal(docs.statusCode, 200)
  const paths = Object.keys(docs.json().paths)
  for (const path of ['/exam/items', '/exam/items/import', '/exam/items/{id}', '/exam/exams', '/exam/exams/{id}/sessions', '/exam/exams/{id}/classrooms/{classroomId}', '/exam/sessions/{id}/answers', '/exam/sessions/{id}/current', '/exam/sessions/{id}/pause', '/exam/sessions/{id}/resume',
    '/exam/classrooms/{classroomId}/sessions', '/exam/sessions/{id}/extend', '/exam/sessions/{id}/end', '/exam/sessions/{id}/audit']) {
    t.ok(paths.includes(path), path)
  }
  t.same(docs.json().paths['/exam/sessions/{id}/answers'].post.security, [{ bearerAuth: [] }])
  const events = (await ctx.app.ops.inject({ method: 'GET', url: '/docs/asyncapi.json' })).json()
  t.equal(events.asyncapi, '3.0.0')
  t.same(Object.keys(events.channels).sort(), ['exam.assignment.changed.v1', 'exam.item.changed.v1', 'exam.response.recorded.v1', 'exam.session.completed.v1', 'exam.session.extended.v1',
    'exam.session.paused.v1', 'exam.session.resumed.v1', 'exam.session.started.v1', 'exam.session.voided.v1'], 'the events exam produces')
  const metrics = await ctx.app.ops.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /exam_sessions_expired_total/)
  t.match(metrics.body, /exam_sessions_suspended_total/)
  t.match(metrics.body, /exam_sessions_window_ended_total/)
  for (const url of ['/health/ready', '/docs/json', '/docs/asyncapi.json', '/metrics']) t.equal((await ctx.app.inject({ method: 'GET', url })).statusCode, 404, `${url}: not on the public port`)
})
