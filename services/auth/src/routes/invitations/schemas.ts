// Invitation requests and answers: an admin's (invite, list, withdraw) and the invited owner's (list, accept, decline).
import { Type } from 'typebox'
import { DateTime, Email, PageQuery, RoleSchema, Uuid, errorResponses } from '../shared-schemas.js'
import type { InvitationView, PendingInvitation } from '../../domain/invitations.js'
import type { ReceivedInvitation } from '../../domain/invitation-answers.js'

const Cursor = Type.Union([Uuid, Type.Null()])

export const Invitation = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  email: Type.String(),
  role: RoleSchema,
  expiresAt: DateTime
})

export const invitationJson = (i: InvitationView) => ({ ...i, expiresAt: i.expiresAt.toISOString() })
export const pendingJson = (i: PendingInvitation) => ({ ...i, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() })
export const receivedJson = (i: ReceivedInvitation) => ({ ...i, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() })

const OrgParams = Type.Object({ id: Uuid }, { additionalProperties: false })

export const inviteSchema = {
  params: OrgParams,
  body: Type.Object({ email: Email, role: Type.Union([Type.Literal('teacher'), Type.Literal('admin')]) }, { additionalProperties: false }),
  response: { 202: Invitation, ...errorResponses }
}

export const listPendingSchema = {
  params: OrgParams,
  querystring: PageQuery,
  response: { 200: Type.Object({ invitations: Type.Array(Type.Object({ ...Invitation.properties, invitedBy: Uuid, createdAt: DateTime })), nextCursor: Cursor }), ...errorResponses }
}

export const withdrawSchema = {
  params: Type.Object({ id: Uuid, invitationId: Uuid }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errorResponses }
}

export const listMineSchema = {
  querystring: PageQuery,
  response: {
    200: Type.Object({
      invitations: Type.Array(Type.Object({
        id: Uuid,
        organization: Type.Object({ id: Uuid, name: Type.String() }),
        role: RoleSchema,
        invitedBy: Type.Object({ id: Uuid, displayName: Type.String() }),
        expiresAt: DateTime,
        createdAt: DateTime
      })),
      nextCursor: Cursor
    }),
    ...errorResponses
  }
}

const InvitationParams = Type.Object({ id: Uuid }, { additionalProperties: false })

export const acceptSchema = {
  params: InvitationParams,
  response: { 200: Type.Object({ organization: Type.Object({ id: Uuid, name: Type.String() }), role: RoleSchema }), ...errorResponses }
}

export const declineSchema = {
  params: InvitationParams,
  response: { 204: Type.Null(), ...errorResponses }
}
