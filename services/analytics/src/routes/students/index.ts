// Student progress, as JSON and as an ability chart. Students read their own; the use case applies the teacher and admin rules.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { studentProgressJson, type StudentProgress } from '../../domain/student-progress.js'
import { studentAbilityChart } from '../../domain/ability-charts.js'
import { responseSerializer, sendJson } from '../json-body.js'
import { studentChartSchema, studentProgressSchema } from './schemas.js'

const studentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  const progressJson = responseSerializer<StudentProgress>(studentProgressSchema)
  app.get('/analytics/students/:id', { schema: studentProgressSchema, preHandler: app.requireUser }, async (request, reply) => {
    return sendJson(reply, await studentProgressJson(deps, request.user!, request.params.id, request.query.days ?? 90, progressJson(reply)))
  })

  app.get('/analytics/students/:id/ability-chart.svg', { schema: studentChartSchema, preHandler: app.requireUser }, async (request, reply) => {
    const svg = await studentAbilityChart(deps, request.user!, request.params.id, request.query.subject)
    return reply.type('image/svg+xml; charset=utf-8').send(svg)
  })
}

export default studentRoutes
