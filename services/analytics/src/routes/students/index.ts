// Student progress, as JSON and as an ability chart. Students read their own; the use case applies the teacher and admin rules.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { studentProgressJson, type StudentProgress } from '../../domain/student-progress.js'
import { studentAbilityChart } from '../../domain/ability-charts.js'
import { responseSerializer, sendJson } from '../json-body.js'
import { studentGrowth } from '../../domain/term-reports.js'
import { studentGrowthChart } from '../../domain/term-charts.js'
import { studentChartSchema, studentGrowthChartSchema, studentGrowthSchema, studentProgressSchema } from './schemas.js'

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

  app.get('/analytics/students/:id/growth', { schema: studentGrowthSchema, preHandler: app.requireUser }, async (request) => {
    const { subject, from, to } = request.query
    return await studentGrowth(deps, request.user!, request.params.id, subject, from, to)
  })

  app.get('/analytics/students/:id/growth-chart.svg', { schema: studentGrowthChartSchema, preHandler: app.requireUser }, async (request, reply) => {
    const svg = await studentGrowthChart(deps, request.user!, request.params.id, request.query.subject)
    return reply.type('image/svg+xml; charset=utf-8').send(svg)
  })
}

export default studentRoutes
