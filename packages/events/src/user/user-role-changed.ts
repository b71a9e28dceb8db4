// Published by auth when an account's role changes (an admin promotes or demotes a member, the admin command
// promotes an account, or a new registration of an address never verified chose another role). Access tokens
// issued before the change are refused everywhere.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'
import { RoleSchema } from './role.js'

const Uuid = Type.String({ format: 'uuid' })

export const userRoleChangedV1 = defineEvent({
  type: 'user.role.changed',
  version: 1,
  producer: 'auth',
  description: 'An account\'s role changed. changedBy is the admin who changed it, null for the admin command or for a registration that replaced the choices of an account never verified (organizationId null).',
  data: Type.Object({
    userId: Uuid,
    organizationId: Type.Union([Uuid, Type.Null()]),
    previousRole: RoleSchema,
    role: RoleSchema,
    changedBy: Type.Union([Uuid, Type.Null()]),
    changedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type UserRoleChangedV1 = DataOf<typeof userRoleChangedV1>
