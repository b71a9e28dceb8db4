// Published by exam when a paused or suspended session is resumed: its clock runs again, its deadline moved by
// the time it stood still.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, Uuid, sessionFields } from './session-fields.js'


export const examSessionResumedV1 = defineEvent({
  type: 'exam.session.resumed',
  version: 1,
  producer: 'exam',
  description: 'A paused or suspended session was resumed by its student, a teacher or an admin. pausedMs: how long its clock stood still this time; deadlineAt: its deadline moved by as much (null without a time limit).',
  data: Type.Object({
    ...sessionFields,
    by: Uuid,
    reason: Type.Union([Type.Literal('student'), Type.Literal('teacher'), Type.Literal('admin')]),
    at: DateTime,
    pausedMs: Type.Integer({ minimum: 0 }),
    deadlineAt: Type.Union([DateTime, Type.Null()])
  }, { additionalProperties: false })
})

export type ExamSessionResumedV1 = DataOf<typeof examSessionResumedV1>
