// Published by auth when an admin invites an address into an organization (or names a new organization's first
// admin); the mailer sends the invitation mail from it. The same for an address with an account or without:
// auth looks none up. It carries no secret: accepting needs the signed-in, verified owner of the address.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { RoleSchema } from './role.js'

const Uuid = Type.String({ format: 'uuid' })

export const userInvitedV1 = defineEvent({
  type: 'user.invited',
  version: 1,
  producer: 'auth',
  description: 'An address was invited to join an organization with a role. Says nothing about whether an account uses the address; carries no token (the owner accepts signed in).',
  data: Type.Object({
    invitationId: Uuid,
    email: Type.String({ format: 'email' }),
    organizationId: Uuid,
    organizationName: Type.String(),
    role: RoleSchema,
    invitedBy: Uuid,
    inviterName: Type.String(),
    expiresAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type UserInvitedV1 = DataOf<typeof userInvitedV1>
