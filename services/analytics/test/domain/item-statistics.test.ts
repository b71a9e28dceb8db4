import t from 'tap'
import type { Envelope } from '@dreamseed/events'
import { buildAnalytics, ev, id, sessionEvents } from '../helper.js'

/** n sessions of one exam, each completed at θ = 0 and answering `item` correctly `correct` times out of n. */
function sessions (organizationId: string, examId: string, item: string, n: number, correct: number): Envelope[] {
  return Array.from({ length: n }, (_, i) => sessionEvents({ organizationId, studentId: id(), examId, theta: 0, answers: [[item, i < correct]] })).flat()
}

t.test('an item whose observed proportion correct departs from its parameters\' prediction is flagged as drifting', async (t) => {
  const ctx = await buildAnalytics(t)
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const [steady, drifting, thin] = [id(), id(), id()]
  const examId = id()
  // At θ = 0 an item with b = 0 predicts P = 0.5: SE of the proportion over 40 is 0.079, 3 SE 0.24.
  await ctx.publish(ev.itemChanged(steady, organizationId), ev.itemChanged(drifting, organizationId), ev.itemChanged(thin, organizationId))
  await ctx.publish(...sessions(organizationId, examId, steady, 40, 22), ...sessions(organizationId, examId, drifting, 40, 36), ...sessions(organizationId, examId, thin, 10, 10))
  // A session of the same exam that never saw the items still counts in their exposure.
  await ctx.publish(...sessionEvents({ organizationId, studentId: id(), examId, theta: 0, answers: [[id(), true]] }))
  await ctx.settled()

  const { items } = (await ctx.get('/analytics/items?limit=10', teacher.headers)).json()
  const byId = new Map(items.map((i: { id: string }) => [i.id, i]))
  const s = byId.get(steady) as { drift: { flagged: boolean, expected: number, observed: number, n: number }, exposureRate: number, proportionCorrect: number }
  const d = byId.get(drifting) as typeof s
  const few = byId.get(thin) as typeof s
  t.same([s.drift.n, s.drift.expected, s.drift.observed, s.drift.flagged], [40, 0.5, 0.55, false])
  t.same([d.drift.observed, d.drift.flagged], [0.9, true])
  t.same([few.drift.observed, few.drift.flagged], [1, false], 'too few responses to judge')
  t.equal(s.exposureRate, 0.4396, 'administrations / sessions of the exam that showed the item: 40 / 91')
  t.equal(d.proportionCorrect, 0.9)
  const filtered = (await ctx.get('/analytics/items?status=active&subject=math&limit=2', teacher.headers)).json()
  t.equal(filtered.items.length, 2)
  const rest = (await ctx.get(`/analytics/items?status=active&subject=math&limit=2&cursor=${filtered.nextCursor as string}`, teacher.headers)).json()
  t.same([...filtered.items, ...rest.items].map((i: { id: string }) => i.id), [steady, drifting, thin].sort(), 'pages in id order, no row twice')
  t.equal(rest.nextCursor, null)
  t.same((await ctx.get('/analytics/items?status=retired', teacher.headers)).json().items, [])
})

t.test('the point-biserial correlation follows the sessions\' final abilities', async (t) => {
  const ctx = await buildAnalytics(t)
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const item = id()
  await ctx.publish(ev.itemChanged(item, organizationId))
  // The able answer correctly, the others not: a perfect positive correlation.
  await ctx.publish(...[-2, -1, 1, 2].flatMap((theta) => sessionEvents({ organizationId, studentId: id(), theta, answers: [[item, theta > 0]] })))
  await ctx.settled()
  t.equal((await ctx.get(`/analytics/items/${item}`, teacher.headers)).json().pointBiserial, 0.9487)
})
