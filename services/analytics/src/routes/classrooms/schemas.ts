// Classroom summaries and student lists, for the classroom's teacher and its organization's admins.
import { Type } from 'typebox'
import { ChartQuery, Effort, Distribution, IdParams, NullableNumber, NullableString, SessionAccommodations, Trend, TypeBreakdown, Uuid, errors, pageQueryFields } from '../shared-schemas.js'
import { ClassroomTerm, ScaleDefinition, ScaleScore } from '../term-schemas.js'

const StudentTrend = Type.Object({ studentId: Uuid, displayName: NullableString, theta: Type.Number(), previousTheta: Type.Number(), se: Type.Number(), scale: ScaleScore })

const ClassroomSummary = Type.Object({
  classroom: Type.Object({ id: Uuid, organizationId: Uuid, teacherId: Uuid, name: Type.String(), students: Type.Integer() }),
  exams: Type.Array(Type.Object({ examId: Uuid, title: NullableString, kind: NullableString, subject: NullableString, completedBy: Type.Integer({ description: 'current students who completed it' }) })),
  subjects: Type.Array(Type.Object({
    subject: Type.String(),
    reportingScale: ScaleDefinition,
    ability: Distribution,
    improving: Type.Array(StudentTrend),
    fallingBehind: Type.Array(StudentTrend)
  }))
})

const ClassroomStudent = Type.Object({
  id: Uuid,
  displayName: NullableString,
  sessionsTaken: Type.Integer(),
  itemsAnswered: Type.Integer(),
  accuracy: NullableNumber,
  timeSpentMs: Type.Number(),
  subjects: Type.Array(Type.Object({ subject: Type.String(), theta: Type.Number(), se: Type.Number(), ...Effort, scale: ScaleScore, trend: Trend, accommodations: SessionAccommodations })),
  types: TypeBreakdown
})

export const classroomSummarySchema = {
  description: 'A classroom\'s students, completions of its assigned exams, and per subject the distribution of its students\' latest ability and who is improving or falling behind.',
  params: IdParams,
  response: { 200: ClassroomSummary, ...errors }
}

export const classroomStudentsSchema = {
  description: 'The classroom\'s current students in id order, each with totals and latest ability per subject.',
  params: IdParams,
  querystring: Type.Object(pageQueryFields, { additionalProperties: false }),
  response: { 200: Type.Object({ students: Type.Array(ClassroomStudent), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errors }
}

export const classroomChartSchema = {
  description: 'A histogram of the classroom\'s students\' latest ability in a subject, with mean, median and quartiles, as an SVG image (image/svg+xml).',
  params: IdParams,
  querystring: ChartQuery,
  response: { 200: Type.String({ description: 'an SVG document' }), ...errors }
}

const ClassroomTermParams = Type.Object({ id: Uuid, termId: Uuid }, { additionalProperties: false })

export const classroomTermSchema = {
  description: 'The classroom\'s current students\' scores in a subject and term (each one\'s latest completed session in it), on the reporting scale when there is one, with mid-rank percentile ranks among the organization\'s students with a score, or a note that they are too few to rank.',
  params: ClassroomTermParams,
  querystring: ChartQuery,
  response: { 200: ClassroomTerm, ...errors }
}

export const classroomTermChartSchema = {
  description: 'A histogram of the classroom\'s students\' scores in a subject and term (on the reporting scale when there is one), as an SVG image (image/svg+xml).',
  params: ClassroomTermParams,
  querystring: ChartQuery,
  response: { 200: Type.String({ description: 'an SVG document' }), ...errors }
}
