// Published by auth when an unverified user asks for a new verification mail, or when an address never verified
// is registered again (its account then takes the new registration's password, display name and role).
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { SealedLink } from './verification.js'

export const userVerificationRequestedV1 = defineEvent({
  type: 'user.verification.requested',
  version: 1,
  producer: 'auth',
  description: 'An unverified account needs a new verification mail: its owner asked for one, or the address was registered again. The new token is sealed.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    displayName: Type.String(),
    verification: SealedLink
  }, { additionalProperties: false })
})

export type UserVerificationRequestedV1 = DataOf<typeof userVerificationRequestedV1>
