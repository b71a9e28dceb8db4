// Exam summaries, for the teachers and admins of the exam's organization.
import { Type } from 'typebox'
import { Bin, IdParams, NullableNumber, NullableString, TypeBreakdown, Uuid, errors } from '../shared-schemas.js'
import { ScaleDefinition, ScaleScore } from '../term-schemas.js'

export const examSummarySchema = {
  description: 'Sessions started and completed (voided ones left out), mean length and SE, the distributions of final θ and of proportion correct, and the scores by item type.',
  params: IdParams,
  response: {
    200: Type.Object({
      examId: Uuid,
      organizationId: Uuid,
      title: NullableString,
      kind: NullableString,
      subject: NullableString,
      sessionsStarted: Type.Integer(),
      completions: Type.Integer(),
      meanLength: NullableNumber,
      meanSe: NullableNumber,
      meanTheta: NullableNumber,
      reportingScale: ScaleDefinition,
      meanScale: ScaleScore,
      thetaHistogram: Type.Array(Bin),
      proportionCorrectHistogram: Type.Array(Bin),
      types: TypeBreakdown,
      voided: Type.Integer({ description: 'sessions voided by a teacher or an admin: counted in nothing else here' }),
      extensions: Type.Object({ sessions: Type.Integer(), seconds: Type.Integer() }, { description: 'sessions (not voided) given more time, and the seconds given in all' })
    }),
    ...errors
  }
}
