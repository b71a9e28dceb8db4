// Classroom requests and answers: create, list, read with members, new join code, remove a member, join.
import { Type } from 'typebox'
import { DISPLAY_NAME, DateTime, PageQuery, RoleSchema, Uuid, errorResponses } from '../shared-schemas.js'

const ClassroomParams = Type.Object({ id: Uuid }, { additionalProperties: false })

const Classroom = Type.Object({
  id: Uuid,
  name: Type.String(),
  organizationId: Uuid,
  teacher: Type.Object({ id: Uuid, displayName: Type.String() }),
  joinCode: Type.Optional(Type.String({ description: 'only for the classroom\'s teacher and the organization\'s admins' })),
  memberCount: Type.Integer(),
  createdAt: DateTime
})

export const createClassroomSchema = {
  body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: DISPLAY_NAME }) }, { additionalProperties: false }),
  response: { 201: Classroom, ...errorResponses }
}

export const listClassroomsSchema = {
  querystring: PageQuery,
  response: { 200: Type.Object({ classrooms: Type.Array(Classroom), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errorResponses }
}

export const getClassroomSchema = {
  params: ClassroomParams,
  response: {
    200: Type.Object({
      ...Classroom.properties,
      members: Type.Array(Type.Object({ userId: Uuid, email: Type.String(), displayName: Type.String(), role: RoleSchema, joinedAt: DateTime }))
    }),
    ...errorResponses
  }
}

export const regenerateCodeSchema = {
  params: ClassroomParams,
  response: { 200: Type.Object({ joinCode: Type.String() }), ...errorResponses }
}

export const removeMemberSchema = {
  params: Type.Object({ id: Uuid, userId: Uuid }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errorResponses }
}

export const joinSchema = {
  // Generous on purpose: case, dashes and spaces are forgiven, then the code is checked for real.
  body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      classroom: Type.Object({ id: Uuid, name: Type.String(), organizationId: Uuid }),
      alreadyMember: Type.Boolean(),
      joinedOrganization: Type.Boolean()
    }),
    ...errorResponses
  }
}
