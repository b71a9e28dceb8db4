// Published by exam when a session's clock stops: its student, a teacher or an admin paused it, or the server
// suspended it after a time without activity. Nothing of the items or answers.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, Uuid, sessionFields } from './session-fields.js'


export const ExamPauseReason = Type.Union([Type.Literal('student'), Type.Literal('teacher'), Type.Literal('admin'), Type.Literal('idle')])

export const examSessionPausedV1 = defineEvent({
  type: 'exam.session.paused',
  version: 1,
  producer: 'exam',
  description: 'A session was paused (by its student, a teacher or an admin) or suspended by the server after a time without activity (reason idle, by null). Its clock stopped at `at` (for idle: the last activity) until it is resumed.',
  data: Type.Object({
    ...sessionFields,
    /** The user who paused it; null when the server suspended it. */
    by: Type.Union([Uuid, Type.Null()]),
    reason: ExamPauseReason,
    at: DateTime
  }, { additionalProperties: false })
})

export type ExamSessionPausedV1 = DataOf<typeof examSessionPausedV1>
