// Classroom reports: the summary, the student list and the ability chart.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Page } from '@dreamseed/kit'
import { classroomStudents, classroomSummary, type ClassroomStudent, type ClassroomSummary } from '../../domain/classroom-report.js'
import { classroomAbilityChart } from '../../domain/ability-charts.js'
import { responseSerializer, sendJson } from '../json-body.js'
import { classroomTermReport } from '../../domain/term-reports.js'
import { classroomTermDistributionChart } from '../../domain/term-charts.js'
import { classroomChartSchema, classroomStudentsSchema, classroomSummarySchema, classroomTermChartSchema, classroomTermSchema } from './schemas.js'

const classroomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.analyticsDeps
  const staff = app.requireRole('teacher', 'admin')

  const summaryJson = responseSerializer<ClassroomSummary>(classroomSummarySchema)
  app.get('/analytics/classrooms/:id', { schema: classroomSummarySchema, preHandler: staff }, async (request, reply) => {
    return sendJson(reply, await classroomSummary(deps, request.user!, request.params.id, summaryJson(reply)))
  })

  const studentsJson = responseSerializer<Page<ClassroomStudent>>(classroomStudentsSchema, (page) => ({ students: page.items, nextCursor: page.nextCursor }))
  app.get('/analytics/classrooms/:id/students', { schema: classroomStudentsSchema, preHandler: staff }, async (request, reply) => {
    return sendJson(reply, await classroomStudents(deps, request.user!, request.params.id, request.query, studentsJson(reply)))
  })

  app.get('/analytics/classrooms/:id/ability-chart.svg', { schema: classroomChartSchema, preHandler: staff }, async (request, reply) => {
    const svg = await classroomAbilityChart(deps, request.user!, request.params.id, request.query.subject)
    return reply.type('image/svg+xml; charset=utf-8').send(svg)
  })

  app.get('/analytics/classrooms/:id/terms/:termId', { schema: classroomTermSchema, preHandler: staff }, async (request) => {
    return await classroomTermReport(deps, request.user!, request.params.id, request.params.termId, request.query.subject)
  })

  app.get('/analytics/classrooms/:id/terms/:termId/distribution.svg', { schema: classroomTermChartSchema, preHandler: staff }, async (request, reply) => {
    const svg = await classroomTermDistributionChart(deps, request.user!, request.params.id, request.params.termId, request.query.subject)
    return reply.type('image/svg+xml; charset=utf-8').send(svg)
  })
}

export default classroomRoutes
