// Organizations, for their admins: create one (inviting its first admin), list its users, change members' roles.
// Invitations have their own routes (../invitations).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { changeMemberRole, createOrganization, listOrganizationUsers, type MemberView } from '../../domain/organizations.js'
import { invitationJson } from '../invitations/schemas.js'
import { contextOf } from '../request-context.js'
import { changeRoleSchema, createOrganizationSchema, listUsersSchema } from './schemas.js'

const memberJson = (m: MemberView) => ({ ...m, disabledAt: m.disabledAt?.toISOString() ?? null, createdAt: m.createdAt.toISOString() })

const organizationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.authDeps
  const admin = app.requireRole('admin')

  app.post('/auth/organizations', { schema: createOrganizationSchema, preHandler: admin }, async (request, reply) => {
    const created = await createOrganization(deps, request.user!, request.body, contextOf(request))
    return reply.code(201).send({ ...created, createdAt: created.createdAt.toISOString(), invitation: invitationJson(created.invitation) })
  })

  app.get('/auth/organizations/:id/users', { schema: listUsersSchema, preHandler: admin }, async (request) => {
    const page = await listOrganizationUsers(deps, request.user!, request.params.id, { limit: request.query.limit, cursor: request.query.cursor })
    return { users: page.items.map(memberJson), nextCursor: page.nextCursor }
  })

  app.patch('/auth/organizations/:id/members/:userId', { schema: changeRoleSchema, preHandler: admin }, async (request) => {
    return memberJson(await changeMemberRole(deps, request.user!, request.params.id, request.params.userId, request.body.role, contextOf(request)))
  })
}

export default organizationRoutes
