// Published by auth when someone joins a classroom (a student with its join code).
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { RoleSchema } from '../user/role.js'

const Uuid = Type.String({ format: 'uuid' })

export const classroomMemberAddedV1 = defineEvent({
  type: 'classroom.member.added',
  version: 1,
  producer: 'auth',
  description: 'An account became a member of a classroom; role is the account\'s role when it joined.',
  data: Type.Object({
    classroomId: Uuid,
    organizationId: Uuid,
    userId: Uuid,
    role: RoleSchema,
    joinedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type ClassroomMemberAddedV1 = DataOf<typeof classroomMemberAddedV1>
