// Published by exam when a teacher or an admin voids a session: it stays in exam (and in its audit), but its
// result must count in no score. Always after the session's exam.session.completed (voiding a live session ends
// it first, in the same statement).
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { DateTime, Uuid, sessionFields } from './session-fields.js'


export const examSessionVoidedV1 = defineEvent({
  type: 'exam.session.voided',
  version: 1,
  producer: 'exam',
  description: 'A teacher or an admin (by) voided a session, with their reason: drop it from every score, report and calibration (keep it as a record).',
  data: Type.Object({
    ...sessionFields,
    by: Uuid,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    at: DateTime
  }, { additionalProperties: false })
})

export type ExamSessionVoidedV1 = DataOf<typeof examSessionVoidedV1>
