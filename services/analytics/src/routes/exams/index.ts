// Exam summaries.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { examSummary } from '../../domain/exam-summary.js'
import { examSummarySchema } from './schemas.js'

const examRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  app.get('/analytics/exams/:id', { schema: examSummarySchema, preHandler: app.requireRole('teacher', 'admin') }, async (request) => {
    return await examSummary(deps, request.user!, request.params.id)
  })
}

export default examRoutes
