// Published by auth when an admin, or a teacher of one of the student's classrooms, sets or clears a student's
// accommodation profile in an organization. exam copies the profile in force onto each session it starts.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { AccommodationsSchema } from './accommodations.js'

const Uuid = Type.String({ format: 'uuid' })

export const userAccommodationsChangedV1 = defineEvent({
  type: 'user.accommodations.changed',
  version: 1,
  producer: 'auth',
  description: 'A student\'s accommodation profile in an organization was set (accommodations: the whole profile now) or cleared (accommodations: null). changedBy is the admin or teacher; of two changes the later changedAt wins.',
  data: Type.Object({
    organizationId: Uuid,
    userId: Uuid,
    accommodations: Type.Union([AccommodationsSchema, Type.Null()]),
    changedBy: Uuid,
    changedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type UserAccommodationsChangedV1 = DataOf<typeof userAccommodationsChangedV1>
