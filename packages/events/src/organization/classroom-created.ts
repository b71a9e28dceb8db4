// Published by auth when a teacher creates a classroom. The join code is a (low-value) secret and stays out.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

const Uuid = Type.String({ format: 'uuid' })

export const classroomCreatedV1 = defineEvent({
  type: 'classroom.created',
  version: 1,
  producer: 'auth',
  description: 'A classroom was created in an organization by its teacher. Carries no join code.',
  data: Type.Object({
    classroomId: Uuid,
    organizationId: Uuid,
    teacherId: Uuid,
    name: Type.String(),
    createdAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type ClassroomCreatedV1 = DataOf<typeof classroomCreatedV1>
