// Published by exam when a student starts an exam (continuing a session publishes nothing; resuming a paused one, exam.session.resumed).
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, sessionFields } from './session-fields.js'


export const examSessionStartedV1 = defineEvent({
  type: 'exam.session.started',
  version: 1,
  producer: 'exam',
  description: 'A student started an exam. deadlineAt is null for an exam without a time limit.',
  data: Type.Object({
    ...sessionFields,
    examKind: Type.Union([Type.Literal('fixed'), Type.Literal('adaptive')]),
    startTheta: Type.Number(),
    startedAt: DateTime,
    deadlineAt: Type.Union([DateTime, Type.Null()])
  }, { additionalProperties: false })
})

export type ExamSessionStartedV1 = DataOf<typeof examSessionStartedV1>
