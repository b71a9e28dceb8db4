// Accommodation profile requests and answers: read, set (the whole profile), clear. The body's bounds and the
// closed list of flags are the event contract's (packages/events, user/accommodations.ts).
import { Type } from 'typebox'
import { AccommodationsSchema } from '@dreamseed/events'
import { DateTime, Uuid, errorResponses } from '../shared-schemas.js'

const Params = Type.Object({ id: Uuid, userId: Uuid }, { additionalProperties: false })

const Profile = Type.Object({
  organizationId: Uuid,
  userId: Uuid,
  ...AccommodationsSchema.properties,
  updatedBy: Uuid,
  updatedAt: DateTime
})

export const getAccommodationsSchema = {
  description: 'A student\'s accommodation profile in the organization: for its admins, a teacher of one of the student\'s classrooms, and the student. 404 AUTH_ACCOMMODATIONS_NOT_FOUND when none is set.',
  params: Params,
  response: { 200: Profile, ...errorResponses }
}

export const putAccommodationsSchema = {
  description: 'Sets a student\'s whole accommodation profile: timeMultiplier 1–4 (an exam\'s time limit is multiplied by it when a session starts), extraBreaks 0–10, flags from a closed list. For the organization\'s admins and teachers of one of the student\'s classrooms; audited and announced as user.accommodations.changed.',
  params: Params,
  body: AccommodationsSchema,
  response: { 200: Profile, ...errorResponses }
}

export const deleteAccommodationsSchema = {
  description: 'Clears a student\'s accommodation profile (nothing is written when there is none). Who may set it may clear it.',
  params: Params,
  response: { 204: Type.Null(), ...errorResponses }
}
