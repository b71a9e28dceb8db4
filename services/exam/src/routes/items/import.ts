// POST /exam/items/import in a context of its own: it alone reads JSON lines and CSV, and takes bodies far
// larger than the service's limit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { importItems, type ImportFormat } from '../../domain/import-items.js'
import { ImportEmptyError } from '../../errors.js'
import { importItemsSchema } from './schemas.js'

const FORMATS: Record<string, ImportFormat> = { 'application/x-ndjson': 'ndjson', 'text/csv': 'csv', 'application/zip': 'qti' }

const importRoute: FastifyPluginAsyncTypebox<{ bodyLimit: number }> = async (app, options) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(['application/x-ndjson', 'text/csv'], { parseAs: 'string', bodyLimit: options.bodyLimit }, (_request, body, done) => { done(null, body) })
  app.addContentTypeParser('application/zip', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => { done(null, body) })

  // Authorized in onRequest, before the body is read: a stranger's or a student's 20 MB is never read or parsed.
  app.post('/exam/items/import', { schema: importItemsSchema, bodyLimit: options.bodyLimit, onRequest: app.requireRole('teacher', 'admin') }, async (request, reply) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    const format = FORMATS[type]
    const body = request.body as unknown
    if ((typeof body !== 'string' && !Buffer.isBuffer(body)) || format === undefined) throw new ImportEmptyError()
    return reply.code(201).send(await importItems(app.examDeps, request.user!, format, body, request.query))
  })
}

export default importRoute
