// Online calibration of pretest items: the responses pretest items collected in completed sessions, each
// paired with that session's final ability estimate and its standard error, fitted by @dreamseed/irt over each
// examinee's ability distribution N(θ, SE²) (a fit against the bare θ would attenuate a and understate its SE).
// The exam's default estimator is EAP, whose (θ, SE) are the posterior's mean and SD, which is what the fit takes.
// A teacher or admin of the item's organization may promote a converged calibration with enough responses;
// analytics records the decision and announces it (analytics.item.promoted, through its outbox) for exam
// to apply. Reading takes two queries (the item, which decides access, then its responses, read and fitted only
// for its organization); promoting reads the same and writes one transaction.
// An item scored into more than two categories (a rating or partial-credit item) is not fitted as right/wrong:
// its responses' score categories are fitted with the engine's polytomous calibration (GRM, or GPCM for the
// partial-credit family; calibrate.ts), the estimate's b the mean of its steps as exam summarises such an item.
// It is never promotable: analytics.item.promoted v1 carries a, b and c, not the steps exam would need.
import { analyticsItemPromotedV1, newEnvelope, outboxRow } from '@dreamseed/events'
import { assertOwnOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import { MAX_STEPS } from '@dreamseed/irt'
import type { AnalyticsDeps } from './deps.js'
import type { JsonSerializer } from './response-cache.js'
import { CalibrationInsufficientError, ItemNotFoundError, NotPretestError, PolytomousPromotionError } from '../errors.js'
import { round } from './statistics.js'
import { organizationOf } from './access.js'
import { calibratePolytomous, polytomousModelOf, type Calibration, type PolytomousCalibration } from './calibrate.js'

export type CalibrationModel = '2PL' | '3PL' | 'auto'

export interface ItemCalibration {
  itemId: string
  organizationId: string
  status: string | null
  current: { a: number, b: number, c: number, d: number } | null
  /** Score categories: 2 for a right/wrong item, more for a polytomous one (fitted with GRM or GPCM). */
  categories: number
  sampleSize: number
  minResponses: number
  estimate: {
    model: string, a: number, b: number, c: number, seA: number | null, seB: number | null, seC: number | null, converged: boolean, logLikelihood: number
    /** A polytomous fit's GRM thresholds or GPCM steps and their SEs; null for a right/wrong item. */
    steps: number[] | null, seSteps: Array<number | null> | null
  } | null
  promotable: boolean
  lastPromotion: { eventId: string, a: number, b: number, c: number, sampleSize: number, promotedBy: string, promotedAt: string } | null
}

interface Loaded { calibration: ItemCalibration, fit: Calibration | null }

const r4 = (x: number | null): number | null => x === null ? null : round(x)

function polytomousEstimate (fit: PolytomousCalibration): NonNullable<ItemCalibration['estimate']> {
  const b = fit.steps.reduce((sum, step) => sum + step, 0) / fit.steps.length
  return {
    model: fit.model, a: round(fit.a), b: round(b), c: 0, seA: r4(fit.seA), seB: null, seC: null, converged: fit.converged, logLikelihood: round(fit.logLikelihood),
    steps: fit.steps.map((step) => round(step)), seSteps: fit.seSteps.map(r4)
  }
}

async function load (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string, model: CalibrationModel): Promise<Loaded> {
  const item = await deps.repositories.itemCalibration.item(itemId)
  // Before the responses are read or fitted: another organization's item is answered like one that does not exist.
  assertOwnOrganization(user, item?.organization_id ?? null, () => new ItemNotFoundError())
  const responses = await deps.repositories.itemCalibration.pretestSample(itemId)
  // More categories than the item declares where responses scored higher (an item whose scale was widened).
  const categories = responses.reduce((most, r) => Math.max(most, r.score + 1), item!.categories ?? 2)
  const polytomous = categories > 2
  const fit = responses.length === 0 || polytomous ? null : deps.calibrate(responses, { model, D: 1 })
  // The engine fits up to MAX_STEPS + 1 categories; an item with more has no estimate.
  const polytomousFit = responses.length === 0 || !polytomous || categories > MAX_STEPS + 1
    ? null
    : calibratePolytomous(responses.map((r) => ({ theta: r.theta, se: r.se, category: r.score })), { model: polytomousModelOf(item!.irt), categories, D: 1 })
  const { a, b, c, d } = item!
  const current = a !== null && b !== null && c !== null && d !== null ? { a, b, c, d } : null
  const promotable = !polytomous && fit !== null && fit.converged && responses.length >= deps.calibrationMinResponses && item!.status === 'pretest'
  const p = item!.promotion
  return {
    fit,
    calibration: {
      itemId,
      organizationId: item!.organization_id,
      status: item!.status,
      current,
      categories,
      sampleSize: responses.length,
      minResponses: deps.calibrationMinResponses,
      estimate: polytomousFit !== null
        ? polytomousEstimate(polytomousFit)
        : fit === null ? null : { model: fit.model, a: round(fit.a), b: round(fit.b), c: round(fit.c), seA: r4(fit.seA), seB: r4(fit.seB), seC: r4(fit.seC), converged: fit.converged, logLikelihood: round(fit.logLikelihood), steps: null, seSteps: null },
      promotable,
      lastPromotion: p === null ? null : { eventId: p.id, a: p.a, b: p.b, c: p.c, sampleSize: p.sample_size, promotedBy: p.promoted_by, promotedAt: new Date(p.promoted_at).toISOString() }
    }
  }
}

/** The item's calibration as its route sends it (`json`: the route's serializer). */
export async function itemCalibration (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string, model: CalibrationModel, json: JsonSerializer<ItemCalibration>): Promise<string> {
  const { facts, body } = await deps.cache.rendered('item-calibration', organizationOf(user), `${itemId}:${model}`, json, async () => {
    const { calibration } = await load(deps, user, itemId, model)
    return { facts: { organizationId: calibration.organizationId }, value: calibration }
  })
  assertOwnOrganization(user, facts.organizationId, () => new ItemNotFoundError())
  return body!
}

export async function promoteItem (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string, model: CalibrationModel, meta: { requestId?: string }) {
  organizationOf(user)
  // Read fresh, not from the cache: the decision must rest on every response applied so far.
  const loaded = await load(deps, user, itemId, model)
  const { calibration, fit } = loaded
  if (calibration.status !== 'pretest') throw new NotPretestError()
  if (calibration.categories > 2) throw new PolytomousPromotionError()
  if (fit === null || calibration.sampleSize < deps.calibrationMinResponses) {
    throw new CalibrationInsufficientError(`The item has ${calibration.sampleSize} calibration responses; promotion needs ${deps.calibrationMinResponses}`)
  }
  if (!fit.converged || fit.model === '1PL') throw new CalibrationInsufficientError('The calibration did not converge; wait for more responses')
  const now = deps.now()
  const data = {
    itemId,
    organizationId: calibration.organizationId,
    a: fit.a,
    b: fit.b,
    c: fit.model === '3PL' ? fit.c : 0,
    seA: fit.seA,
    seB: fit.seB,
    seC: fit.model === '3PL' ? fit.seC : null,
    sampleSize: fit.n,
    promotedBy: user.id,
    promotedAt: now.toISOString()
  }
  const envelope = newEnvelope(analyticsItemPromotedV1, data, { ...meta, now })
  await deps.repositories.itemCalibration.recordPromotion(
    { id: envelope.id, itemId, organizationId: data.organizationId, model: fit.model, a: data.a, b: data.b, c: data.c, seA: data.seA, seB: data.seB, seC: data.seC, sampleSize: data.sampleSize, promotedBy: user.id, promotedAt: now },
    outboxRow(envelope, itemId))
  deps.eventsWritten()
  await deps.cache.invalidate([calibration.organizationId])
  return { eventId: envelope.id, model: fit.model, ...data }
}
