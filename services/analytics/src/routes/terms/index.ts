// The organization's terms: admins add and remove them, teachers and admins read them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createTerm, deleteTerm, listTerms } from '../../domain/scales-and-terms.js'
import { createTermSchema, deleteTermSchema, listTermsSchema } from './schemas.js'

const termRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  const admin = app.requireRole('admin')
  app.post('/analytics/terms', { schema: createTermSchema, preHandler: admin }, async (request, reply) => {
    return reply.code(201).send(await createTerm(deps, request.user!, request.body))
  })
  app.get('/analytics/terms', { schema: listTermsSchema, preHandler: app.requireRole('teacher', 'admin') }, async (request) => {
    return { terms: await listTerms(deps, request.user!) }
  })
  app.delete('/analytics/terms/:id', { schema: deleteTermSchema, preHandler: admin }, async (request, reply) => {
    await deleteTerm(deps, request.user!, request.params.id)
    return reply.code(204).send(null)
  })
}

export default termRoutes
