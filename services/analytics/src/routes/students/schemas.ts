// Student progress: a student's own, or one of a teacher's students, or any student of an admin's organization.
import { Type } from 'typebox'
import { ChartQuery, Effort, DateTime, IdParams, NullableNumber, NullableString, SessionAccommodations, Trend, TypeBreakdown, Uuid, errors } from '../shared-schemas.js'
import { Growth, ScaleDefinition, ScaleScore } from '../term-schemas.js'

const StudentProgress = Type.Object({
  studentId: Uuid,
  organizationId: Type.Union([Uuid, Type.Null()]),
  displayName: NullableString,
  sessionsTaken: Type.Integer(),
  itemsAnswered: Type.Integer({ description: 'scored answers (pretest items excluded)' }),
  correct: Type.Integer(),
  accuracy: NullableNumber,
  timeSpentMs: Type.Number({ description: 'sum of the answers\' response times, pretest items included' }),
  subjects: Type.Array(Type.Object({
    subject: Type.String(),
    theta: Type.Number(),
    se: Type.Number(),
    scale: ScaleScore,
    reportingScale: ScaleDefinition,
    sessions: Type.Integer(),
    trend: Trend,
    history: Type.Array(Type.Object({ sessionId: Uuid, examId: Uuid, theta: Type.Number(), se: Type.Number(), completedAt: DateTime, ...Effort, scale: ScaleScore, accommodations: SessionAccommodations }))
  })),
  dailyActivity: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), responses: Type.Integer(), correct: Type.Integer(), timeSpentMs: Type.Number() })),
  types: TypeBreakdown
})

export const studentProgressSchema = {
  description: 'A student\'s progress: ability and SE per subject after each completed session, totals, and activity per UTC day over the last `days` days.',
  params: IdParams,
  querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 90 })) }, { additionalProperties: false }),
  response: { 200: StudentProgress, ...errors }
}

export const studentChartSchema = {
  description: 'The student\'s ability in a subject after each completed session, with 95% bands, as an SVG image (image/svg+xml).',
  params: IdParams,
  querystring: ChartQuery,
  response: { 200: Type.String({ description: 'an SVG document' }), ...errors }
}

export const studentGrowthSchema = {
  description: 'The student\'s growth in a subject from one of the organization\'s terms to another: each term\'s score (its latest completed session), the difference with SE sqrt(se₁² + se₂²), and both on the reporting scale when there is one.',
  params: IdParams,
  querystring: Type.Object({ subject: Type.String({ minLength: 1, maxLength: 200 }), from: Uuid, to: Uuid }, { additionalProperties: false }),
  response: { 200: Growth, ...errors }
}

export const studentGrowthChartSchema = {
  description: 'The student\'s score in a subject in each of the organization\'s terms with ±1 SE bars, on the reporting scale when there is one, as an SVG image (image/svg+xml).',
  params: IdParams,
  querystring: ChartQuery,
  response: { 200: Type.String({ description: 'an SVG document' }), ...errors }
}
