// Reporting scales: an organization's admins set one per subject, its teachers and admins read them.
import { Type } from 'typebox'
import { DateTime, NullableNumber, Uuid, errors } from '../shared-schemas.js'

const ScaleFields = {
  slope: Type.Number({ description: 'score per logit; not 0 (a negative slope reverses the scale)' }),
  intercept: Type.Number({ description: 'the score at θ = 0' }),
  decimals: Type.Integer({ description: 'decimals scores and SEs are rounded to (0 to 3)' }),
  min: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'lowest score reported (scores below are raised to it); null: none' })),
  max: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'highest score reported; above min; null: none' }))
}

export const Scale = Type.Object({
  subject: Type.String(),
  slope: Type.Number(),
  intercept: Type.Number(),
  decimals: Type.Integer(),
  min: NullableNumber,
  max: NullableNumber,
  updatedBy: Uuid,
  updatedAt: DateTime
})

export const putScaleSchema = {
  description: 'Sets the organization\'s reporting scale for a subject (admins): score = clamp(round(intercept + slope·θ, decimals), min, max), SE = |slope|·SE(θ). Every report of the organization shows it from then on.',
  body: Type.Object({ subject: Type.String({ minLength: 1, maxLength: 200 }), ...ScaleFields }, { additionalProperties: false }),
  response: { 200: Scale, ...errors }
}

export const listScalesSchema = {
  description: 'The organization\'s reporting scales, by subject.',
  response: { 200: Type.Object({ scales: Type.Array(Scale) }), ...errors }
}
