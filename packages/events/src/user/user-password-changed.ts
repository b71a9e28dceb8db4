// Published by auth when an account's password was changed (by its owner, signed in) or reset (through a
// mailed link); the mailer tells the owner, who learns of it even if someone else did it.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

export const userPasswordChangedV1 = defineEvent({
  type: 'user.password.changed',
  version: 1,
  producer: 'auth',
  description: 'An account\'s password was changed or reset; its sessions were ended (all of them after a reset, all but the caller\'s after a change). Carries no password material.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    displayName: Type.String(),
    changedAt: Type.String({ format: 'date-time' }),
    via: Type.Union([Type.Literal('change'), Type.Literal('reset')], { description: 'change: by the signed-in owner; reset: through a mailed reset link' })
  }, { additionalProperties: false })
})

export type UserPasswordChangedV1 = DataOf<typeof userPasswordChangedV1>
