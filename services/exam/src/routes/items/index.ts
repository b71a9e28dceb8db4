// The item bank, for teachers and admins of an organization: create, list, read, change, import.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createItem, getItem, listItems, updateItem } from '../../domain/items.js'
import { exportItems } from '../../domain/export-items.js'
import type { ItemView } from '../../domain/model.js'
import { createItemSchema, exportItemsSchema, getItemSchema, listItemsSchema, updateItemSchema } from './schemas.js'
import importRoute from './import.js'

export const itemJson = (item: ItemView) => ({ ...item, createdAt: item.createdAt.toISOString(), updatedAt: item.updatedAt.toISOString() })

const itemRoutes: FastifyPluginAsyncTypebox<{ importBodyLimit: number }> = async (app, options) => {
  const deps = app.examDeps
  const staff = app.requireRole('teacher', 'admin')

  app.post('/exam/items', { schema: createItemSchema, preHandler: staff }, async (request, reply) => {
    return reply.code(201).send(itemJson(await createItem(deps, request.user!, request.body)))
  })

  app.get('/exam/items', { schema: listItemsSchema, preHandler: staff }, async (request) => {
    const page = await listItems(deps, request.user!, request.query)
    return { items: page.items.map(itemJson), nextCursor: page.nextCursor }
  })

  app.get('/exam/items/export', { schema: exportItemsSchema, preHandler: staff }, async (request, reply) => {
    const { format: _format, ...filter } = request.query
    const zip = await exportItems(deps, request.user!, filter)
    return reply.type('application/zip').header('content-disposition', 'attachment; filename="items-qti3.zip"').send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength))
  })

  app.get('/exam/items/:id', { schema: getItemSchema, preHandler: staff }, async (request) => {
    return itemJson(await getItem(deps, request.user!, request.params.id))
  })

  app.patch('/exam/items/:id', { schema: updateItemSchema, preHandler: staff }, async (request) => {
    return itemJson(await updateItem(deps, request.user!, request.params.id, request.body))
  })

  await app.register(importRoute, { bodyLimit: options.importBodyLimit })
}

export default itemRoutes
