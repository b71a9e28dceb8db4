// Exams: teachers and admins create, read and assign them; students list theirs and start a session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { assignExam, createExam, getExam, listAssignedExams, listExams, unassignExam } from '../../domain/exams.js'
import type { ExamView } from '../../domain/model.js'
import { startSession } from '../../domain/sessions.js'
import { assignmentSchema, createExamSchema, getExamSchema, listExamsSchema, startSessionSchema } from './schemas.js'
import { stepJson } from '../sessions/json.js'

const examJson = (e: ExamView) => ({ ...e, createdAt: e.createdAt.toISOString() })

const examRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.examDeps
  const staff = app.requireRole('teacher', 'admin')

  app.post('/exam/exams', { schema: createExamSchema, preHandler: staff }, async (request, reply) => {
    return reply.code(201).send(examJson(await createExam(deps, request.user!, request.body)))
  })

  app.get('/exam/exams', { schema: listExamsSchema, preHandler: app.requireUser }, async (request) => {
    if (request.user!.role === 'student') {
      const page = await listAssignedExams(deps, request.user!, request.query)
      return { exams: page.items, nextCursor: page.nextCursor }
    }
    const page = await listExams(deps, request.user!, request.query)
    return { exams: page.items.map(examJson), nextCursor: page.nextCursor }
  })

  app.get('/exam/exams/:id', { schema: getExamSchema, preHandler: staff }, async (request) => {
    return examJson(await getExam(deps, request.user!, request.params.id))
  })

  app.put('/exam/exams/:id/classrooms/:classroomId', { schema: assignmentSchema, preHandler: staff }, async (request, reply) => {
    await assignExam(deps, request.user!, request.params.id, request.params.classroomId)
    return reply.code(204).send(null)
  })

  app.delete('/exam/exams/:id/classrooms/:classroomId', { schema: assignmentSchema, preHandler: staff }, async (request, reply) => {
    await unassignExam(deps, request.user!, request.params.id, request.params.classroomId)
    return reply.code(204).send(null)
  })

  app.post('/exam/exams/:id/sessions', { schema: startSessionSchema, preHandler: app.requireRole('student') }, async (request, reply) => {
    const { created, ...step } = await startSession(deps, request.user!, request.params.id, { requestId: request.id })
    return reply.code(created ? 201 : 200).send(stepJson(step, deps.effort.flagBelow))
  })
}

export default examRoutes
