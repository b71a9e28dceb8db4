// A student's accommodation profile as events carry it: extended time as a multiplier of an exam's time limit,
// extra breaks, and flags that clients act on. The flags are a closed list so every client can rely on it; a
// new flag is an addition to this list (and to the contracts that carry it), never free text.
import { Type, type Static } from 'typebox'

export const AccommodationFlagSchema = Type.Union([
  Type.Literal('read_aloud'), Type.Literal('large_print'), Type.Literal('high_contrast'), Type.Literal('screen_reader'), Type.Literal('calculator'), Type.Literal('separate_setting')
])
export type AccommodationFlag = Static<typeof AccommodationFlagSchema>
/** The flags in their order (the order a profile lists them in). */
export const ACCOMMODATION_FLAGS: readonly AccommodationFlag[] = AccommodationFlagSchema.anyOf.map((l) => l.const)

/** Bounds of the time multiplier: 1 (no extra time) to 4 (four times the exam's limit). */
export const TIME_MULTIPLIER_MIN = 1
export const TIME_MULTIPLIER_MAX = 4
/** Most extra breaks a profile may grant. */
export const EXTRA_BREAKS_MAX = 10

export const AccommodationsSchema = Type.Object({
  timeMultiplier: Type.Number({ minimum: TIME_MULTIPLIER_MIN, maximum: TIME_MULTIPLIER_MAX, description: 'an exam\'s time limit is multiplied by this when a session starts' }),
  extraBreaks: Type.Integer({ minimum: 0, maximum: EXTRA_BREAKS_MAX, description: 'breaks the student may take beyond the usual; carried for clients' }),
  flags: Type.Array(AccommodationFlagSchema, { uniqueItems: true, maxItems: ACCOMMODATION_FLAGS.length, description: 'what clients do for the student' })
}, { additionalProperties: false })

export type Accommodations = Static<typeof AccommodationsSchema>
