// Reporting scales: admins set them, teachers and admins read them. The subject is in the body, not the path:
// a scale is the caller's organization's, so the path names nothing of anyone else's.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { listScales, putScale } from '../../domain/scales-and-terms.js'
import { listScalesSchema, putScaleSchema } from './schemas.js'

const scaleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  app.put('/analytics/scales', { schema: putScaleSchema, preHandler: app.requireRole('admin') }, async (request) => {
    const { subject, slope, intercept, decimals, min, max } = request.body
    return await putScale(deps, request.user!, subject, { slope, intercept, decimals, min: min ?? null, max: max ?? null })
  })
  app.get('/analytics/scales', { schema: listScalesSchema, preHandler: app.requireRole('teacher', 'admin') }, async (request) => {
    return { scales: await listScales(deps, request.user!) }
  })
}

export default scaleRoutes
