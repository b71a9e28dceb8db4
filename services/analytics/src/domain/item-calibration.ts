// Online calibration of pretest items: the responses pretest items collected in completed sessions, each
// paired with that session's final ability estimate and its standard error, fitted by @dreamseed/irt over each
// examinee's ability distribution N(θ, SE²) (a fit against the bare θ would attenuate a and understate its SE).
// The exam's default estimator is EAP, whose (θ, SE) are the posterior's mean and SD, which is what the fit takes.
// A teacher or admin of the item's organization may promote a converged calibration with enough responses;
// analytics records the decision and announces it (analytics.item.promoted, through its outbox) for exam
// to apply. Reading takes two queries (the item, which decides access, then its responses, read and fitted only
// for its organization); promoting reads the same and writes one transaction.
import { analyticsItemPromotedV1, newEnvelope, outboxRow } from '@dreamseed/events'
import { assertOwnOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import type { JsonSerializer } from './response-cache.js'
import { CalibrationInsufficientError, ItemNotFoundError, NotPretestError } from '../errors.js'
import { round } from './statistics.js'
import { organizationOf } from './access.js'
import type { Calibration } from './calibrate.js'

export type CalibrationModel = '2PL' | '3PL' | 'auto'

export interface ItemCalibration {
  itemId: string
  organizationId: string
  status: string | null
  current: { a: number, b: number, c: number, d: number } | null
  sampleSize: number
  minResponses: number
  estimate: { model: string, a: number, b: number, c: number, seA: number | null, seB: number | null, seC: number | null, converged: boolean, logLikelihood: number } | null
  promotable: boolean
  lastPromotion: { eventId: string, a: number, b: number, c: number, sampleSize: number, promotedBy: string, promotedAt: string } | null
}

interface Loaded { calibration: ItemCalibration, fit: Calibration | null }

const r4 = (x: number | null): number | null => x === null ? null : round(x)

async function load (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string, model: CalibrationModel): Promise<Loaded> {
  const item = await deps.repositories.itemCalibration.item(itemId)
  // Before the responses are read or fitted: another organization's item is answered like one that does not exist.
  assertOwnOrganization(user, item?.organization_id ?? null, () => new ItemNotFoundError())
  const responses = await deps.repositories.itemCalibration.pretestSample(itemId)
  const fit = responses.length === 0 ? null : deps.calibrate(responses, { model, D: 1 })
  const { a, b, c, d } = item!
  const current = a !== null && b !== null && c !== null && d !== null ? { a, b, c, d } : null
  const promotable = fit !== null && fit.converged && responses.length >= deps.calibrationMinResponses && item!.status === 'pretest'
  const p = item!.promotion
  return {
    fit,
    calibration: {
      itemId,
      organizationId: item!.organization_id,
      status: item!.status,
      current,
      sampleSize: responses.length,
      minResponses: deps.calibrationMinResponses,
      estimate: fit === null ? null : { model: fit.model, a: round(fit.a), b: round(fit.b), c: round(fit.c), seA: r4(fit.seA), seB: r4(fit.seB), seC: r4(fit.seC), converged: fit.converged, logLikelihood: round(fit.logLikelihood) },
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
