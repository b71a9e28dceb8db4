// Exam summaries.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { examSummary, type ExamSummary } from '../../domain/exam-summary.js'
import { responseSerializer, sendJson } from '../json-body.js'
import { examSummarySchema } from './schemas.js'

const examRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  const summaryJson = responseSerializer<ExamSummary>(examSummarySchema)
  app.get('/analytics/exams/:id', { schema: examSummarySchema, preHandler: app.requireRole('teacher', 'admin') }, async (request, reply) => {
    return sendJson(reply, await examSummary(deps, request.user!, request.params.id, summaryJson(reply)))
  })
}

export default examRoutes
