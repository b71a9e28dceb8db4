// Invitations into an organization. An admin invites an address (202, the same answer whatever the address),
// lists what is open and withdraws; the signed-in owner of the address lists theirs and accepts or declines.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { inviteMember, listInvitations, withdrawInvitation } from '../../domain/invitations.js'
import { acceptInvitation, declineInvitation, listMyInvitations } from '../../domain/invitation-answers.js'
import { contextOf } from '../request-context.js'
import { acceptSchema, declineSchema, invitationJson, inviteSchema, listMineSchema, listPendingSchema, pendingJson, receivedJson, withdrawSchema } from './schemas.js'

const invitationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.authDeps
  const admin = app.requireRole('admin')

  app.post('/auth/organizations/:id/invitations', { schema: inviteSchema, preHandler: admin }, async (request, reply) => {
    const invited = await inviteMember(deps, request.user!, request.params.id, request.body, contextOf(request))
    return reply.code(202).send(invitationJson(invited))
  })

  app.get('/auth/organizations/:id/invitations', { schema: listPendingSchema, preHandler: admin }, async (request) => {
    const page = await listInvitations(deps, request.user!, request.params.id, { limit: request.query.limit, cursor: request.query.cursor })
    return { invitations: page.items.map(pendingJson), nextCursor: page.nextCursor }
  })

  app.delete('/auth/organizations/:id/invitations/:invitationId', { schema: withdrawSchema, preHandler: admin }, async (request, reply) => {
    await withdrawInvitation(deps, request.user!, request.params.id, request.params.invitationId, contextOf(request))
    return reply.code(204).send(null)
  })

  app.get('/auth/me/invitations', { schema: listMineSchema, preHandler: app.requireUser }, async (request) => {
    const page = await listMyInvitations(deps, request.user!, { limit: request.query.limit, cursor: request.query.cursor })
    return { invitations: page.items.map(receivedJson), nextCursor: page.nextCursor }
  })

  app.post('/auth/me/invitations/:id/accept', { schema: acceptSchema, preHandler: app.requireUser }, async (request) => {
    return await acceptInvitation(deps, request.user!, request.params.id, contextOf(request))
  })

  app.post('/auth/me/invitations/:id/decline', { schema: declineSchema, preHandler: app.requireUser }, async (request, reply) => {
    await declineInvitation(deps, request.user!, request.params.id, contextOf(request))
    return reply.code(204).send(null)
  })
}

export default invitationRoutes
