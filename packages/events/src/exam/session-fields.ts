// What every session event's data starts with: the session and whose it is, in the same four fields, so a
// subscriber keys every session event alike.
import { Type } from 'typebox'

export const Uuid = Type.String({ format: 'uuid' })
export const DateTime = Type.String({ format: 'date-time' })

export const sessionFields = {
  sessionId: Uuid,
  examId: Uuid,
  organizationId: Uuid,
  studentId: Uuid
}
