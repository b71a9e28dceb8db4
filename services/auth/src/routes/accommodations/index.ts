// Students' accommodation profiles, under their organization: read, set, clear. Who may do what is the use case's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { clearAccommodations, getAccommodations, setAccommodations, type AccommodationsView } from '../../domain/accommodations.js'
import { contextOf } from '../request-context.js'
import { deleteAccommodationsSchema, getAccommodationsSchema, putAccommodationsSchema } from './schemas.js'

const profileJson = (p: AccommodationsView) => ({ ...p, updatedAt: p.updatedAt.toISOString() })
const path = '/auth/organizations/:id/students/:userId/accommodations'

const accommodationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.authDeps
  const staff = app.requireRole('teacher', 'admin')

  app.get(path, { schema: getAccommodationsSchema, preHandler: app.requireUser }, async (request) => {
    return profileJson(await getAccommodations(deps, request.user!, request.params.id, request.params.userId))
  })

  app.put(path, { schema: putAccommodationsSchema, preHandler: staff }, async (request) => {
    return profileJson(await setAccommodations(deps, request.user!, request.params.id, request.params.userId, request.body, contextOf(request)))
  })

  app.delete(path, { schema: deleteAccommodationsSchema, preHandler: staff }, async (request, reply) => {
    await clearAccommodations(deps, request.user!, request.params.id, request.params.userId, contextOf(request))
    return reply.code(204).send(null)
  })
}

export default accommodationRoutes
