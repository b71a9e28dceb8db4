// Item statistics and calibration: reading is for teachers and admins, and so is promoting (within their
// organization, checked by the use case).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Page } from '@dreamseed/kit'
import { itemStatistics, listItemStatistics, type ItemStatistics } from '../../domain/item-statistics.js'
import { itemCalibration, promoteItem, type ItemCalibration } from '../../domain/item-calibration.js'
import { responseSerializer, sendJson } from '../json-body.js'
import { calibrationSchema, getItemSchema, listItemsSchema, promoteSchema } from './schemas.js'

const itemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  const staff = app.requireRole('teacher', 'admin')

  const listJson = responseSerializer<Page<ItemStatistics>>(listItemsSchema, (page) => ({ items: page.items, nextCursor: page.nextCursor }))
  app.get('/analytics/items', { schema: listItemsSchema, preHandler: staff }, async (request, reply) => {
    return sendJson(reply, await listItemStatistics(deps, request.user!, request.query, listJson(reply)))
  })

  const itemJson = responseSerializer<ItemStatistics>(getItemSchema)
  app.get('/analytics/items/:id', { schema: getItemSchema, preHandler: staff }, async (request, reply) => {
    return sendJson(reply, await itemStatistics(deps, request.user!, request.params.id, itemJson(reply)))
  })

  const calibrationJson = responseSerializer<ItemCalibration>(calibrationSchema)
  app.get('/analytics/items/:id/calibration', { schema: calibrationSchema, preHandler: staff }, async (request, reply) => {
    return sendJson(reply, await itemCalibration(deps, request.user!, request.params.id, request.query.model ?? 'auto', calibrationJson(reply)))
  })

  app.post('/analytics/items/:id/promote', { schema: promoteSchema, preHandler: staff }, async (request, reply) => {
    const promoted = await promoteItem(deps, request.user!, request.params.id, request.query.model ?? 'auto', { requestId: request.id })
    return reply.code(202).send(promoted)
  })
}

export default itemRoutes
