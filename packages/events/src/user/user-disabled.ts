// Published by auth when an admin disables an account: it can no longer sign in, every session has ended and
// its access tokens are refused everywhere. Subscribers stop work on its behalf (e.g. open exams).
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

const Uuid = Type.String({ format: 'uuid' })

export const userDisabledV1 = defineEvent({
  type: 'user.disabled',
  version: 1,
  producer: 'auth',
  description: 'An admin disabled an account in their organization.',
  data: Type.Object({
    userId: Uuid,
    organizationId: Type.Union([Uuid, Type.Null()]),
    disabledBy: Type.Union([Uuid, Type.Null()]),
    disabledAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type UserDisabledV1 = DataOf<typeof userDisabledV1>
