// Organization requests and answers: create one, list its users, change members' roles.
import { Type } from 'typebox'
import { DISPLAY_NAME, DateTime, Email, PageQuery, RoleSchema, Uuid, errorResponses } from '../shared-schemas.js'
import { Invitation } from '../invitations/schemas.js'


const OrganizationName = Type.String({ minLength: 1, maxLength: 200, pattern: DISPLAY_NAME })
const OrgParams = Type.Object({ id: Uuid }, { additionalProperties: false })

const Member = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  organizationId: Type.Union([Uuid, Type.Null()]),
  disabledAt: Type.Union([DateTime, Type.Null()]),
  createdAt: DateTime
})

export const createOrganizationSchema = {
  body: Type.Object({ name: OrganizationName, adminEmail: Email }, { additionalProperties: false }),
  response: {
    201: Type.Object({
      id: Uuid,
      name: Type.String(),
      createdBy: Uuid,
      createdAt: DateTime,
      invitation: Invitation
    }),
    ...errorResponses
  }
}

export const listUsersSchema = {
  params: OrgParams,
  querystring: PageQuery,
  response: { 200: Type.Object({ users: Type.Array(Member), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errorResponses }
}

export const changeRoleSchema = {
  params: Type.Object({ id: Uuid, userId: Uuid }, { additionalProperties: false }),
  body: Type.Object({ role: RoleSchema }, { additionalProperties: false }),
  response: { 200: Member, ...errorResponses }
}
