import t from 'tap'
import { deadLetters, examResponseRecordedV1, newEnvelope, type Envelope, type ExamResponseRecordedV1 } from '@dreamseed/events'
import { waitFor } from '@dreamseed/testing'
import { buildAnalytics, id, school, sessionEvents } from '../helper.js'

t.test('events that cannot be applied are filed alone as dead letters; the events sent with them are applied', async (t) => {
  // Two deliveries, 50 ms apart: the event that fails in the database is given up on quickly.
  const ctx = await buildAnalytics(t, { ANALYTICS_CONSUMER_MAX_DELIVER: '2', ANALYTICS_CONSUMER_BACKOFF_MS: '50' })
  const s = await school(ctx, 3)
  const items = [id(), id(), id()]
  const sessions = s.students.map((p) => sessionEvents({ organizationId: s.organizationId, studentId: p.userId, theta: 0.2, answers: items.map((item) => [item, true]) }))
  const base = sessions[0]![1]!.data as ExamResponseRecordedV1
  // Within its contract, beyond the column's range: every transaction holding it fails.
  const poison = newEnvelope(examResponseRecordedV1, { ...base, position: 2 ** 31 })
  const broken: Envelope<unknown> = { ...newEnvelope(examResponseRecordedV1, { ...base, position: 7 }), data: { ...base, studentId: 'not-a-uuid' } }
  // Published in one go, so batches hold them together with the good events.
  const all = sessions.flat()
  await Promise.all([...all.slice(0, 6).map(async (e) => { await ctx.publish(e) }), ctx.redeliver(poison), ctx.redeliver(broken), ...all.slice(6).map(async (e) => { await ctx.publish(e) })])

  const store = await deadLetters(ctx.nc, ctx.prefix)
  await waitFor(async () => (await store.count()) === 2, { what: 'two dead letters', timeoutMs: 30_000 })
  await ctx.settled()
  const letters = await store.list()
  t.same(letters.map((l) => (JSON.parse(new TextDecoder().decode(l.data)) as Envelope).id).sort(), [poison.id, broken.id].sort(), 'the two bad events, and nothing else')
  t.match(letters.find((l) => l.reason.startsWith('rejected'))?.reason, /breaks its contract/)
  t.match(letters.find((l) => l.reason.startsWith('gave up'))?.reason, /handler failed/)
  t.equal((await ctx.sql`select count(*)::int as n from analytics.responses`)[0]!.n, 3 * items.length, 'every good response applied')
  t.equal((await ctx.sql`select count(*)::int as n from analytics.sessions where completed_at is not null`)[0]!.n, 3)
  t.equal((await ctx.sql`select count(*)::int as n from analytics.inbox where event_id in ${ctx.sql([poison.id, broken.id])}`)[0]!.n, 0, 'neither is recorded as applied')
})
