// Published by exam when a student starts an exam (continuing a session publishes nothing; resuming a paused one, exam.session.resumed).
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, sessionFields } from './session-fields.js'
import { AccommodationsSchema } from '../user/accommodations.js'


export const examSessionStartedV1 = defineEvent({
  type: 'exam.session.started',
  version: 1,
  producer: 'exam',
  description: 'A student started an exam. deadlineAt is null for an exam without a time limit; otherwise the start plus the limit, times the accommodation profile\'s timeMultiplier when there is one.',
  data: Type.Object({
    ...sessionFields,
    examKind: Type.Union([Type.Literal('fixed'), Type.Literal('adaptive')]),
    startTheta: Type.Number(),
    startedAt: DateTime,
    deadlineAt: Type.Union([DateTime, Type.Null()]),
    /**
     * Added within v1 (optional): the student's accommodation profile in force when the session started, copied
     * onto the session (null: none); absent from events of sessions started before profiles existed.
     */
    accommodations: Type.Optional(Type.Union([AccommodationsSchema, Type.Null()]))
  }, { additionalProperties: false })
})

export type ExamSessionStartedV1 = DataOf<typeof examSessionStartedV1>
