// Published by auth when someone asks for a password reset for an existing, enabled account; the mailer
// sends the reset link from it. The token is sealed, bound to its purpose and user.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { SealedLink } from './verification.js'

export const userPasswordResetRequestedV1 = defineEvent({
  type: 'user.password_reset.requested',
  version: 1,
  producer: 'auth',
  description: 'A password reset was asked for an account. Carries no password material; the reset token is sealed.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    displayName: Type.String(),
    reset: SealedLink
  }, { additionalProperties: false })
})

export type UserPasswordResetRequestedV1 = DataOf<typeof userPasswordResetRequestedV1>

/** Binds a sealed reset token to its purpose and user, so it cannot be passed off as a verification token. */
export const passwordResetSealContext = (userId: string): string => `reset-password:${userId}`
