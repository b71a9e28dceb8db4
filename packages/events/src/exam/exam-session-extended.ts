// Published by exam when a teacher or an admin gives a session more time: its deadline moves by `seconds`.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, Uuid, sessionFields } from './session-fields.js'


export const examSessionExtendedV1 = defineEvent({
  type: 'exam.session.extended',
  version: 1,
  producer: 'exam',
  description: 'A teacher or an admin (by) added seconds to a session\'s time limit; deadlineAt: its new deadline (for a paused or suspended session, before the time it stands still is added on resume).',
  data: Type.Object({
    ...sessionFields,
    by: Uuid,
    seconds: Type.Integer({ minimum: 1 }),
    deadlineAt: DateTime,
    at: DateTime
  }, { additionalProperties: false })
})

export type ExamSessionExtendedV1 = DataOf<typeof examSessionExtendedV1>
