// Published by auth when a classroom's teacher or an admin removes a member. The account stays in the
// organization; only the classroom membership ends.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { RoleSchema } from '../user/role.js'

const Uuid = Type.String({ format: 'uuid' })

export const classroomMemberRemovedV1 = defineEvent({
  type: 'classroom.member.removed',
  version: 1,
  producer: 'auth',
  description: 'A member was removed from a classroom; role is the account\'s role at that time.',
  data: Type.Object({
    classroomId: Uuid,
    organizationId: Uuid,
    userId: Uuid,
    role: RoleSchema,
    removedBy: Uuid,
    removedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type ClassroomMemberRemovedV1 = DataOf<typeof classroomMemberRemovedV1>
