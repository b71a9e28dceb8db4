// Published by auth when someone registers an address whose account is verified (or disabled): the HTTP answer
// is the same as for a new account (no enumeration), and the owner gets a "you already have an account" mail, at
// most one per interval (the mailer's ACCOUNT_EXISTS_MAIL_INTERVAL_S). An address never verified is registered
// anew instead (user.verification.requested). displayName is the account's; no mail prints it.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

export const userRegistrationRepeatedV1 = defineEvent({
  type: 'user.registration.repeated',
  version: 1,
  producer: 'auth',
  description: 'Someone tried to register an address whose account is verified (or disabled); nothing changed.',
  data: Type.Object({
    userId: Type.String({ format: 'uuid' }),
    email: Type.String({ format: 'email' }),
    displayName: Type.String()
  }, { additionalProperties: false })
})

export type UserRegistrationRepeatedV1 = DataOf<typeof userRegistrationRepeatedV1>
