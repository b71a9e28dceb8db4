// What a passage is made of: a stimulus several items share, with an optional title and the author's ref.
import { Type, type Static } from 'typebox'

const NotBlank = '\\S'
/** Longest text per field, in characters. */
export const PASSAGE_LIMITS = { ref: 100, title: 200, stimulus: 50_000 } as const

export const passageFields = {
  ref: Type.String({ minLength: 1, maxLength: PASSAGE_LIMITS.ref, pattern: NotBlank }),
  title: Type.String({ minLength: 1, maxLength: PASSAGE_LIMITS.title, pattern: NotBlank }),
  stimulus: Type.String({ minLength: 1, maxLength: PASSAGE_LIMITS.stimulus, pattern: NotBlank })
}

export const PassageInput = Type.Object({
  ref: Type.Optional(passageFields.ref),
  title: Type.Optional(passageFields.title),
  stimulus: passageFields.stimulus
}, { additionalProperties: false })
export type PassageInput = Static<typeof PassageInput>
