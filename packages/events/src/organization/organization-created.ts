// Published by auth when an organization (a school) is created, by an admin or by the admin command.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

const Uuid = Type.String({ format: 'uuid' })

export const organizationCreatedV1 = defineEvent({
  type: 'organization.created',
  version: 1,
  producer: 'auth',
  description: 'A new organization. createdBy is the admin who created it, null for the admin command.',
  data: Type.Object({
    organizationId: Uuid,
    name: Type.String(),
    createdBy: Type.Union([Uuid, Type.Null()]),
    createdAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type OrganizationCreatedV1 = DataOf<typeof organizationCreatedV1>
