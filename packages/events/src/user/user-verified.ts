// Published by auth when an address has been confirmed.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

export const userVerifiedV1 = defineEvent({
  type: 'user.verified',
  version: 1,
  producer: 'auth',
  description: 'A user confirmed their email address.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    verifiedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type UserVerifiedV1 = DataOf<typeof userVerifiedV1>
