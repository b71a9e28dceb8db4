// Published by auth when someone registers an address that already has an account: the HTTP answer is the
// same as for a new account (no enumeration), and the owner gets a "you already have an account" mail.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

export const userRegistrationRepeatedV1 = defineEvent({
  type: 'user.registration.repeated',
  version: 1,
  producer: 'auth',
  description: 'Someone tried to register an address that already has an account.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    displayName: Type.String()
  }, { additionalProperties: false })
})

export type UserRegistrationRepeatedV1 = DataOf<typeof userRegistrationRepeatedV1>
