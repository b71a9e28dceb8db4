// Published by auth when an unverified user asks for a new verification mail.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { SealedLink } from './verification.js'

export const userVerificationRequestedV1 = defineEvent({
  type: 'user.verification.requested',
  version: 1,
  producer: 'auth',
  description: 'An unverified user asked for a new verification mail; the new token is sealed.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    displayName: Type.String(),
    verification: SealedLink
  }, { additionalProperties: false })
})

export type UserVerificationRequestedV1 = DataOf<typeof userVerificationRequestedV1>
