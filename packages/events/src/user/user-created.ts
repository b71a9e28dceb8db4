// Published by auth when an account is created; the mailer sends the verification mail from it.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { SealedLink } from './verification.js'

export const userCreatedV1 = defineEvent({
  type: 'user.created',
  version: 1,
  producer: 'auth',
  description: 'A new account was registered. Carries no password material; the verification token is sealed.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    displayName: Type.String(),
    role: Type.Union([Type.Literal('student'), Type.Literal('teacher'), Type.Literal('admin')]),
    verification: SealedLink
  }, { additionalProperties: false })
})

export type UserCreatedV1 = DataOf<typeof userCreatedV1>
