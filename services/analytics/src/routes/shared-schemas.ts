// Schemas more than one analytics route uses; the ones every service shares come from the kit.
import { Type } from 'typebox'
import { AccommodationsSchema } from '@dreamseed/events'
export { errorResponses as errors, Uuid, DateTime, IdParams, pageQueryFields } from '@dreamseed/kit'

export const NullableNumber = Type.Union([Type.Number(), Type.Null()])
export const NullableString = Type.Union([Type.String(), Type.Null()])

export const Bin = Type.Object({ from: Type.Number(), to: Type.Number(), count: Type.Integer() })

export const Distribution = Type.Object({
  n: Type.Integer(),
  mean: NullableNumber,
  sd: NullableNumber,
  min: NullableNumber,
  q1: NullableNumber,
  median: NullableNumber,
  q3: NullableNumber,
  max: NullableNumber,
  histogram: Type.Array(Bin)
})

/** A completed session's response-time effort as exam judged it: the share of its responses that were not rapid guesses, and whether that was below exam's EXAM_EFFORT_FLAG_BELOW (both null for a session from before exam judged them, effort also without responses). */
export const Effort = {
  effort: Type.Union([Type.Number(), Type.Null()], { description: 'response-time effort of the session: the share of its responses that were not rapid guesses' }),
  lowEffort: Type.Union([Type.Boolean(), Type.Null()], { description: 'exam flagged the session low effort: its score may understate the student' })
}

export const Trend = Type.Union([Type.Literal('improving'), Type.Literal('falling_behind'), Type.Literal('steady'), Type.Literal('single_estimate')], {
  description: 'last two estimates in the subject: a change beyond sqrt(se1² + se2²) is improving or falling_behind'
})

/** The accommodation profile a session ran with, as exam's events carry it (auth's contract). */
export const SessionAccommodations = Type.Union([AccommodationsSchema, Type.Null()], {
  description: 'the student\'s accommodation profile the session ran with (its time limit was multiplied by timeMultiplier); null: none, or a session from before profiles'
})

/** The query of a chart: which subject it draws. */
export const ChartQuery = Type.Object({ subject: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })

/** Scores by item type over completed sessions; a session from before item types counts as single. */
export const TypeBreakdown = Type.Array(Type.Object({
  type: Type.String({ description: 'single, multiple, numeric, text or rating' }),
  sessions: Type.Integer({ description: 'completed sessions with answers of this type' }),
  answered: Type.Integer({ description: 'scored answers' }),
  correct: Type.Integer({ description: 'answers with full credit' }),
  score: Type.Integer(),
  maxScore: Type.Integer({ description: 'the most the answers could have scored' }),
  proportionCorrect: NullableNumber,
  scoreRatio: Type.Union([Type.Number(), Type.Null()], { description: 'score / maxScore' })
}), { description: 'per item type, in the order single, multiple, numeric, text, rating; a session whose completion carries no types (before item types) counts as single' })
