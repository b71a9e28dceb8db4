// Published by auth when an account enters an organization: added by an admin, made its first admin, or a
// student without an organization joining one of its classrooms.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { RoleSchema } from '../user/role.js'

const Uuid = Type.String({ format: 'uuid' })

export const organizationMemberAddedV1 = defineEvent({
  type: 'organization.member.added',
  version: 1,
  producer: 'auth',
  description: 'An account joined an organization with a role. source says how: admin (an admin added it), classroom (a student joined a classroom with its code), command (the admin command).',
  data: Type.Object({
    organizationId: Uuid,
    userId: Uuid,
    role: RoleSchema,
    source: Type.Union([Type.Literal('admin'), Type.Literal('classroom'), Type.Literal('command')]),
    addedBy: Type.Union([Uuid, Type.Null()])
  }, { additionalProperties: false })
})

export type OrganizationMemberAddedV1 = DataOf<typeof organizationMemberAddedV1>
