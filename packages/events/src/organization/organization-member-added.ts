// Published by auth when an account enters an organization: its owner accepting an admin's invitation (as a
// member or as a new organization's first admin), a student without an organization joining one of its
// classrooms, or the admin command.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { RoleSchema } from '../user/role.js'

const Uuid = Type.String({ format: 'uuid' })

export const organizationMemberAddedV1 = defineEvent({
  type: 'organization.member.added',
  version: 1,
  producer: 'auth',
  description: 'An account joined an organization with a role. source says how: admin (the account owner accepted an invitation from the admin addedBy names), classroom (a student joined a classroom with its code), command (the admin command).',
  data: Type.Object({
    organizationId: Uuid,
    userId: Uuid,
    role: RoleSchema,
    source: Type.Union([Type.Literal('admin'), Type.Literal('classroom'), Type.Literal('command')]),
    addedBy: Type.Union([Uuid, Type.Null()])
  }, { additionalProperties: false })
})

export type OrganizationMemberAddedV1 = DataOf<typeof organizationMemberAddedV1>
