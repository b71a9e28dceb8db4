// The part of an event that lets the mailer build a verification link without auth ever putting a usable
// token on the bus: the token is sealed (AES-256-GCM) with a key only auth and notification hold.
import { Type } from 'typebox'

export const SealedLink = Type.Object({
  sealedToken: Type.String({ description: 'base64url(iv | ciphertext | tag) of the raw token, sealed with TOKEN_SEAL_KEY' }),
  expiresAt: Type.String({ format: 'date-time' })
}, { additionalProperties: false })

/** The sealing context binds a sealed verification token to its purpose and user (part of the contract). */
export const verificationSealContext = (userId: string): string => `verify-email:${userId}`
