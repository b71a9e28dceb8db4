// POST /auth/users/:id/disable: an admin disables an account of their organization.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { disableUser } from '../../domain/disable-user.js'
import { contextOf } from '../request-context.js'
import { disableSchema } from './schemas.js'

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/auth/users/:id/disable', { schema: disableSchema, preHandler: app.requireRole('admin') }, async (request) => {
    const disabled = await disableUser(app.authDeps, request.user!, request.params.id, contextOf(request))
    return { ...disabled, disabledAt: disabled.disabledAt.toISOString() }
  })
}

export default userRoutes
