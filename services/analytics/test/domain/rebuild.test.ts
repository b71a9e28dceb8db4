import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { rebuildReadModels } from '../../src/domain/rebuild.js'
import { READ_MODEL_TABLES } from '../../src/repositories/read-models-repository.js'
import { buildAnalytics, ev, id, school, sessionEvents, T0, type AnalyticsContext } from '../helper.js'

async function snapshot (ctx: AnalyticsContext): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const table of READ_MODEL_TABLES) {
    // applied_at is when, not what: the replay applies at another time.
    const columns = table === 'inbox' ? 'event_id, type' : '*'
    out[table] = await ctx.sql.unsafe(`select ${columns} from analytics.${table} t order by t::text`)
  }
  return out
}

/** Several batches of a school's events, with redeliveries, events out of order and a late removal. */
async function feed (ctx: AnalyticsContext) {
  const s = await school(ctx, 3)
  const items = [id(), id(), id(), id()]
  const examId = id()
  const sessions = s.students.map((p, i) => sessionEvents({ organizationId: s.organizationId, studentId: p.userId, examId, theta: i - 1, answers: items.map((item, k) => [item, (i + k) % 2 === 0, k === 3]) }))
  await ctx.publish(...items.map((i) => ev.itemChanged(i, s.organizationId, { status: 'active', at: T0 + 5000 })), ev.assignmentChanged(examId, s.classroomId, s.organizationId))
  await ctx.publish(...sessions[0]!)
  // the second session's completion first, its start last
  await ctx.publish(...sessions[1]!.slice().reverse())
  await ctx.publish(ev.itemChanged(items[0]!, s.organizationId, { status: 'draft', b: 3, at: T0 }))
  for (const e of sessions[0]!.slice(0, 3)) await ctx.redeliver(e)
  await ctx.publish(...sessions[2]!, ev.memberRemoved(s.classroomId, s.organizationId, s.students[2]!.userId))
  await ctx.settled()
  return s
}

t.test('rebuilding from the streams gives exactly the read models built event by event', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await feed(ctx)
  const before = await snapshot(ctx)
  t.equal(before.sessions!.length, 3)
  t.equal(before.responses!.length, 12)
  t.equal(before.classroom_members!.filter((m) => (m as { removed: boolean }).removed).length, 1)
  t.equal((before.items!.find((i) => (i as { b: number }).b === 3)), undefined, 'the older item.changed lost to the newer one')

  const result = await rebuildReadModels({ db: ctx.app.analyticsDeps.db, nc: ctx.nc, prefix: ctx.prefix, log: { info: () => {} } })
  t.same(await snapshot(ctx), before)
  t.ok(result.organizations.includes(s.organizationId))
  t.equal(result.streams.reduce((n, r) => n + r.applied, 0), before.inbox!.length, 'every event applied once')
  t.ok(result.streams.reduce((n, r) => n + r.messages, 0) > before.inbox!.length, 'the redeliveries were replayed too, and changed nothing')
})

t.test('the documented command rebuilds the read models and makes cached answers stale', async (t) => {
  const ctx = await buildAnalytics(t)
  const s = await feed(ctx)
  const url = `/analytics/classrooms/${s.classroomId}`
  const summary = (await ctx.get(url, s.teacher.headers)).json()
  const before = await snapshot(ctx)
  // Damage the read model so that only a real rebuild brings it back.
  await ctx.sql`delete from analytics.sessions`
  const cwd = fileURLToPath(new URL('../..', import.meta.url))
  await promisify(execFile)('pnpm', ['run', '--silent', 'rebuild'], { cwd, env: { ...process.env, DATABASE_URL: ctx.config.databaseUrl, NATS_URL: ctx.config.natsUrl, EVENTS_PREFIX: ctx.prefix, NODE_ENV: 'test' } })
  t.same(await snapshot(ctx), before)
  const misses = async () => (await ctx.app.metrics.registry.getSingleMetric('analytics_cache_misses_total')!.get()).values.reduce((n, v) => n + v.value, 0)
  const missed = await misses()
  t.same((await ctx.get(url, s.teacher.headers)).json(), summary)
  t.equal(await misses(), missed + 1, 'the first read after the rebuild was computed afresh')
})
