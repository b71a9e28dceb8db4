// Item statistics and calibration: reading is for teachers and admins, and so is promoting (within their
// organization, checked by the use case).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { itemStatistics, listItemStatistics } from '../../domain/item-statistics.js'
import { itemCalibration, promoteItem } from '../../domain/item-calibration.js'
import { calibrationSchema, getItemSchema, listItemsSchema, promoteSchema } from './schemas.js'

const itemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  const staff = app.requireRole('teacher', 'admin')

  app.get('/analytics/items', { schema: listItemsSchema, preHandler: staff }, async (request) => {
    const page = await listItemStatistics(deps, request.user!, request.query)
    return { items: page.items, nextCursor: page.nextCursor }
  })

  app.get('/analytics/items/:id', { schema: getItemSchema, preHandler: staff }, async (request) => {
    return await itemStatistics(deps, request.user!, request.params.id)
  })

  app.get('/analytics/items/:id/calibration', { schema: calibrationSchema, preHandler: staff }, async (request) => {
    return await itemCalibration(deps, request.user!, request.params.id, request.query.model ?? 'auto')
  })

  app.post('/analytics/items/:id/promote', { schema: promoteSchema, preHandler: staff }, async (request, reply) => {
    const promoted = await promoteItem(deps, request.user!, request.params.id, request.query.model ?? 'auto', { requestId: request.id })
    return reply.code(202).send(promoted)
  })
}

export default itemRoutes
