import t from 'tap'
import { jetstream } from '@nats-io/jetstream'
import { calibrateItem, createRng, probability, randomNormal } from '@dreamseed/irt'
import { analyticsItemPromotedV1, examResponseRecordedV1, examSessionCompletedV1, newEnvelope, streamFor, type Envelope } from '@dreamseed/events'
import { buildAnalytics, ev, id, T0 } from '../helper.js'

const TRUE = { a: 1.3, b: -0.4, c: 0, d: 1 }

/**
 * n simulated examinees (θ ~ N(0, 1)), each answering the pretest item once in a session that then completes
 * with an EAP-like estimate: the posterior mean and SD `se` of a normal model, θ̂ = (1 - se²)(θ + e) with
 * e ~ N(0, se² / (1 - se²)), so that θ given θ̂ is N(θ̂, se²) as calibration assumes.
 */
function simulate (organizationId: string, itemId: string, n: number, seed: number, se = 0.3, pairs: Array<{ theta: number, correct: boolean }> = []): Envelope[] {
  const rng = createRng(seed)
  const out: Envelope[] = []
  for (let i = 0; i < n; i++) {
    const trueTheta = randomNormal(rng)
    const theta = (1 - se * se) * (trueTheta + randomNormal(rng, 0, se / Math.sqrt(1 - se * se)))
    const correct = rng.next() < probability(trueTheta, TRUE)
    pairs.push({ theta, correct })
    const base = { sessionId: id(), examId: id(), organizationId, studentId: id() }
    const at = new Date(T0 + i * 1000).toISOString()
    out.push(newEnvelope(examResponseRecordedV1, { ...base, itemId, position: 0, correct, pretest: true, thetaAfter: 0, seAfter: 1, timeTakenMs: 2000, servedAt: at, answeredAt: at }))
    out.push(newEnvelope(examSessionCompletedV1, { ...base, subject: 'math', reason: 'max-items', theta, se, itemsAnswered: 20, correctCount: 10, topics: [], startedAt: at, completedAt: at }))
  }
  return out
}

t.test('a pretest item is calibrated from its responses at the sessions\' final abilities, and promoted through the outbox', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_CALIBRATION_MIN_RESPONSES: '500' })
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const pretest = id()
  const active = id()
  const thin = id()
  await ctx.publish(ev.itemChanged(pretest, organizationId, { status: 'pretest', a: 1, b: 0 }), ev.itemChanged(active, organizationId, { status: 'active' }), ev.itemChanged(thin, organizationId, { status: 'pretest' }))
  await ctx.publish(...simulate(organizationId, pretest, 800, 7), ...simulate(organizationId, thin, 40, 8))
  await ctx.settled()

  const res = await ctx.get(`/analytics/items/${pretest}/calibration?model=2PL`, teacher.headers)
  t.equal(res.statusCode, 200, res.body)
  const calibration = res.json()
  t.equal(calibration.sampleSize, 800)
  t.equal(calibration.estimate.model, '2PL')
  t.equal(calibration.estimate.converged, true)
  t.equal(calibration.promotable, true)
  t.same([calibration.categories, calibration.estimate.steps, calibration.estimate.seSteps], [2, null, null], 'a right/wrong item has no steps')
  const { a, b, seA, seB } = calibration.estimate
  t.ok(Math.abs(a - TRUE.a) < 3 * seA, `a = ${a} ± ${seA} recovers ${TRUE.a}`)
  t.ok(Math.abs(b - TRUE.b) < 3 * seB, `b = ${b} ± ${seB} recovers ${TRUE.b}`)
  t.ok(seA < 0.25 && seB < 0.15, 'with standard errors that say the sample was large')

  const thinRes = (await ctx.get(`/analytics/items/${thin}/calibration`, teacher.headers)).json()
  t.equal(thinRes.sampleSize, 40)
  t.equal(thinRes.promotable, false)
  for (const [itemId, code] of [[thin, 'ANALYTICS_CALIBRATION_INSUFFICIENT'], [active, 'ANALYTICS_NOT_PRETEST']] as const) {
    const refused = await ctx.app.inject({ method: 'POST', url: `/analytics/items/${itemId}/promote`, headers: teacher.headers })
    t.equal(refused.statusCode, 409)
    t.equal(refused.json().error.code, code)
  }

  const promoted = await ctx.app.inject({ method: 'POST', url: `/analytics/items/${pretest}/promote?model=2PL`, headers: teacher.headers })
  t.equal(promoted.statusCode, 202, promoted.body)
  const body = promoted.json()
  t.same([body.itemId, body.organizationId, body.promotedBy, body.sampleSize, body.c, body.seC], [pretest, organizationId, teacher.userId, 800, 0, null])
  t.ok(Math.abs(body.a - a) < 1e-3 && Math.abs(body.b - b) < 1e-3, 'the parameters shown are the ones promoted')

  // The event reaches the ANALYTICS stream through the outbox relay.
  const consumer = await jetstream(ctx.nc).consumers.get(streamFor(ctx.prefix, analyticsItemPromotedV1.type))
  const message = await consumer.next({ expires: 10_000 })
  t.ok(message !== null, 'the promotion was published')
  const envelope = message!.json<Envelope>()
  t.same(analyticsItemPromotedV1.check(envelope), [], 'within its contract')
  t.equal(envelope.id, body.eventId)
  t.same((envelope.data as { a: number }).a, body.a)
  t.equal((await ctx.sql`select count(*)::int as n from analytics.outbox where published_at is not null`)[0]!.n, 1)

  const after = (await ctx.get(`/analytics/items/${pretest}/calibration?model=2PL`, teacher.headers)).json()
  t.equal(after.lastPromotion.eventId, body.eventId, 'the cached calibration was replaced by one that shows the promotion')
})

t.test('calibration integrates over each session\'s ability SE: with uncertain abilities a is not attenuated as a fit at the bare θ is', async (t) => {
  const ctx = await buildAnalytics(t)
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const item = id()
  await ctx.publish(ev.itemChanged(item, organizationId, { status: 'pretest', a: 1, b: 0 }))
  const pairs: Array<{ theta: number, correct: boolean }> = []
  await ctx.publish(...simulate(organizationId, item, 800, 21, 0.6, pairs))
  await ctx.settled()

  const { estimate } = (await ctx.get(`/analytics/items/${item}/calibration?model=2PL`, teacher.headers)).json()
  // The old fit at the bare θ̂, from the same pairs: θ̂ that far from θ attenuates a (to about 1.17 here).
  const point = calibrateItem(pairs, { model: '2PL' })
  t.ok(Math.abs(estimate.a - TRUE.a) < 2 * estimate.seA, `a = ${estimate.a} ± ${estimate.seA} recovers ${TRUE.a}`)
  t.ok(estimate.a - point.a > 0.05, `the fit over N(θ̂, SE²) (a = ${estimate.a}) is not the point fit (a = ${point.a.toFixed(4)})`)
  t.ok(estimate.seA > point.seA!, `and reports the larger SE the uncertainty implies (${estimate.seA} > ${point.seA!.toFixed(4)})`)
})

const GRM = { a: 1.4, b: [-1, 0, 1] }

/** n examinees answering a 4-category pretest item drawn from Samejima's GRM: P(X ≥ k) = 1 / (1 + exp(−a(θ − b_k))). */
function simulateGraded (organizationId: string, itemId: string, n: number, seed: number, se = 0.3): Envelope[] {
  const rng = createRng(seed)
  const out: Envelope[] = []
  for (let i = 0; i < n; i++) {
    const trueTheta = randomNormal(rng)
    const theta = (1 - se * se) * (trueTheta + randomNormal(rng, 0, se / Math.sqrt(1 - se * se)))
    const u = rng.next()
    const score = GRM.b.filter((b) => u < 1 / (1 + Math.exp(-GRM.a * (trueTheta - b)))).length
    const base = { sessionId: id(), examId: id(), organizationId, studentId: id() }
    const at = new Date(T0 + i * 1000).toISOString()
    out.push(newEnvelope(examResponseRecordedV1, { ...base, itemId, position: 0, correct: score === 3, score, maxScore: 3, pretest: true, thetaAfter: 0, seAfter: 1, timeTakenMs: 2000, servedAt: at, answeredAt: at }))
    out.push(newEnvelope(examSessionCompletedV1, { ...base, subject: 'math', reason: 'max-items', theta, se, itemsAnswered: 20, correctCount: 10, topics: [], startedAt: at, completedAt: at }))
  }
  return out
}

t.test('a pretest rating item is calibrated with GRM from its responses\' scores, not as right/wrong, and is not promotable', async (t) => {
  const ctx = await buildAnalytics(t, { ANALYTICS_CALIBRATION_MIN_RESPONSES: '100' })
  const organizationId = id()
  const teacher = await ctx.as('teacher', organizationId)
  const [graded, partial] = [id(), id()]
  await ctx.publish(
    ev.itemChanged(graded, organizationId, { status: 'pretest', kind: { type: 'rating', categories: 4, irt: { model: 'GRM', a: 1, b: [-0.5, 0, 0.5] } } }),
    ev.itemChanged(partial, organizationId, { status: 'pretest', kind: { type: 'multiple', categories: 4, irt: { model: 'PCM', delta: [-0.5, 0, 0.5] } } })
  )
  await ctx.publish(...simulateGraded(organizationId, graded, 700, 31), ...simulateGraded(organizationId, partial, 60, 32))
  await ctx.settled()

  const res = await ctx.get(`/analytics/items/${graded}/calibration`, teacher.headers)
  t.equal(res.statusCode, 200, res.body)
  const calibration = res.json()
  t.same([calibration.categories, calibration.sampleSize, calibration.estimate.model, calibration.estimate.converged], [4, 700, 'GRM', true])
  const { a, seA, steps, seSteps, b } = calibration.estimate
  t.ok(Math.abs(a - GRM.a) < 3 * seA, `a = ${a} ± ${seA} recovers ${GRM.a}`)
  t.equal(steps.length, 3)
  GRM.b.forEach((truth, k) => t.ok(Math.abs(steps[k] - truth) < 3 * seSteps[k], `b${k + 1} = ${steps[k]} ± ${seSteps[k]} recovers ${truth}`))
  t.ok(Math.abs(b - (steps[0] + steps[1] + steps[2]) / 3) < 1e-3, 'b summarises the thresholds by their mean')
  t.equal(calibration.promotable, false, 'converged and enough responses, but a promotion cannot carry its thresholds')
  const refused = await ctx.app.inject({ method: 'POST', url: `/analytics/items/${graded}/promote`, headers: teacher.headers })
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().error.code, 'ANALYTICS_POLYTOMOUS_PROMOTION')
  t.equal((await ctx.sql`select count(*)::int as n from analytics.item_promotions`)[0]!.n, 0, 'nothing recorded')

  const pcm = (await ctx.get(`/analytics/items/${partial}/calibration`, teacher.headers)).json()
  t.same([pcm.categories, pcm.estimate.model, pcm.estimate.steps.length], [4, 'GPCM', 3], 'a partial-credit item is fitted with GPCM')
})
