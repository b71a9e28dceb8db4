// Item statistics and online calibration, for the teachers and admins of the item's organization.
import { Type } from 'typebox'
import { DateTime, IdParams, NullableNumber, NullableString, Uuid, errors, pageQueryFields } from '../shared-schemas.js'

const Parameters = Type.Object({ a: Type.Number(), b: Type.Number(), c: Type.Number(), d: Type.Number() })
const Status = Type.Union([Type.Literal('draft'), Type.Literal('pretest'), Type.Literal('active'), Type.Literal('retired')])
const Model = Type.Union([Type.Literal('2PL'), Type.Literal('3PL'), Type.Literal('auto')], { default: 'auto', description: 'auto: 3PL from 500 responses, 2PL below' })

const ItemStatistics = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  subject: NullableString,
  topics: Type.Array(Type.String()),
  status: NullableString,
  parameters: Type.Union([Parameters, Type.Null()]),
  administrations: Type.Integer(),
  exposureRate: Type.Union([Type.Number(), Type.Null()], { description: 'administrations / sessions of the exams that have shown the item' }),
  proportionCorrect: NullableNumber,
  meanResponseTimeMs: NullableNumber,
  pointBiserial: Type.Union([Type.Number(), Type.Null()], { description: 'correlation of the response with the final θ of completed sessions' }),
  drift: Type.Object({
    n: Type.Integer({ description: 'responses from completed sessions' }),
    observed: NullableNumber,
    expected: Type.Union([Type.Number(), Type.Null()], { description: 'mean 4PL probability (D = 1) at the sessions\' final θ' }),
    standardError: NullableNumber,
    flagged: Type.Boolean({ description: '|observed − expected| > 3 standard errors, with n at least ANALYTICS_DRIFT_MIN_RESPONSES' })
  }, { description: 'for a right/wrong item; a polytomous item has no expected value (null) and is never flagged' }),
  type: Type.String({ description: 'single, multiple, numeric, text or rating (single for an item whose events carry no type)' }),
  categories: Type.Integer({ description: 'score categories 0..categories-1: the item\'s, or more where responses scored higher' }),
  meanScore: Type.Union([Type.Number(), Type.Null()], { description: 'mean score category over every administration' }),
  meanScoreRatio: Type.Union([Type.Number(), Type.Null()], { description: 'mean of score / maxScore (for a right/wrong item, the proportion correct)' }),
  categoryFrequencies: Type.Array(Type.Object({ category: Type.Integer(), count: Type.Integer() }), { description: 'administrations scored in each category 0..categories-1' })
})

export const listItemsSchema = {
  description: 'Statistics of the organization\'s items, in id order.',
  querystring: Type.Object({ ...pageQueryFields, subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), status: Type.Optional(Status) }, { additionalProperties: false }),
  response: { 200: Type.Object({ items: Type.Array(ItemStatistics), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errors }
}

export const getItemSchema = {
  params: IdParams,
  response: { 200: ItemStatistics, ...errors }
}

const Calibration = Type.Object({
  itemId: Uuid,
  organizationId: Uuid,
  status: NullableString,
  current: Type.Union([Parameters, Type.Null()]),
  categories: Type.Integer({ description: 'score categories: more than 2 is a polytomous item, fitted with GRM (GPCM for a PCM, GPCM or RSM item) from the responses\' scores and never promotable' }),
  sampleSize: Type.Integer({ description: 'pretest responses from completed sessions' }),
  minResponses: Type.Integer(),
  estimate: Type.Union([Type.Object({
    model: Type.String(), a: Type.Number(), b: Type.Number(), c: Type.Number(),
    seA: NullableNumber, seB: NullableNumber, seC: NullableNumber, converged: Type.Boolean(), logLikelihood: Type.Number(),
    steps: Type.Union([Type.Array(Type.Number()), Type.Null()], { description: 'a polytomous fit\'s GRM thresholds or GPCM steps (b is their mean); null for a right/wrong item' }),
    seSteps: Type.Union([Type.Array(NullableNumber), Type.Null()])
  }), Type.Null()]),
  promotable: Type.Boolean(),
  lastPromotion: Type.Union([Type.Object({ eventId: Uuid, a: Type.Number(), b: Type.Number(), c: Type.Number(), sampleSize: Type.Integer(), promotedBy: Uuid, promotedAt: DateTime }), Type.Null()])
})

export const calibrationSchema = {
  description: 'Calibration of a pretest item from the responses it collected in completed sessions, over each session\'s final θ and its SE: 2PL/3PL for a right/wrong item, GRM or GPCM for a polytomous one.',
  params: IdParams,
  querystring: Type.Object({ model: Type.Optional(Model) }, { additionalProperties: false }),
  response: { 200: Calibration, ...errors }
}

export const promoteSchema = {
  description: 'Promotes a calibrated pretest item: analytics.item.promoted carries the new parameters to exam, which makes the item active.',
  params: IdParams,
  querystring: Type.Object({ model: Type.Optional(Model) }, { additionalProperties: false }),
  response: {
    202: Type.Object({
      eventId: Uuid, itemId: Uuid, organizationId: Uuid, model: Type.String(), a: Type.Number(), b: Type.Number(), c: Type.Number(),
      seA: NullableNumber, seB: NullableNumber, seC: NullableNumber, sampleSize: Type.Integer(), promotedBy: Uuid, promotedAt: DateTime
    }),
    ...errors
  }
}
