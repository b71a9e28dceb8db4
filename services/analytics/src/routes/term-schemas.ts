// Schemas of the term reports (growth, scores per term, percentile ranks) that the student and classroom
// routes share.
import { Type } from 'typebox'
import { DateTime, NullableNumber, NullableString, Uuid } from './shared-schemas.js'

export const ScaleScore = Type.Union([Type.Object({ score: Type.Number(), se: Type.Number() }), Type.Null()], {
  description: 'on the organization\'s reporting scale for the subject, null when it has none'
})

export const ScaleDefinition = Type.Union([Type.Object({
  slope: Type.Number(), intercept: Type.Number(), decimals: Type.Integer(), min: NullableNumber, max: NullableNumber
}), Type.Null()], { description: 'the organization\'s reporting scale for the subject, null when it has none' })

const TermInfo = { id: Uuid, name: Type.String(), startsAt: DateTime, endsAt: DateTime }

export const TermScore = Type.Object({
  ...TermInfo,
  theta: Type.Union([Type.Number(), Type.Null()], { description: 'the latest completed session in the subject within the term; null: none' }),
  se: NullableNumber,
  completedAt: Type.Union([DateTime, Type.Null()]),
  scale: ScaleScore
})

export const Growth = Type.Object({
  studentId: Uuid,
  subject: Type.String(),
  scale: ScaleDefinition,
  from: TermScore,
  to: TermScore,
  growth: Type.Union([Type.Object({
    theta: Type.Number({ description: 'θ in the later term minus θ in the earlier' }),
    se: Type.Number({ description: 'sqrt(se₁² + se₂²)' }),
    scale: ScaleScore
  }), Type.Null()], { description: 'null when either term has no score' })
})

export const ClassroomTerm = Type.Object({
  classroom: Type.Object({ id: Uuid, name: Type.String() }),
  term: Type.Object(TermInfo),
  subject: Type.String(),
  scale: ScaleDefinition,
  groupSize: Type.Integer({ description: 'the organization\'s students with a score in the subject and term' }),
  ranked: Type.Boolean({ description: 'whether groupSize reaches ANALYTICS_MIN_RANK_GROUP' }),
  note: NullableString,
  students: Type.Array(Type.Object({
    studentId: Uuid,
    displayName: NullableString,
    theta: NullableNumber,
    se: NullableNumber,
    scale: ScaleScore,
    percentileRank: Type.Union([Type.Number(), Type.Null()], { description: '100·(below + ½·equal)/groupSize; null without a score or when too few to rank' })
  }))
})
