// Classrooms: teachers (and admins) create and manage them; students join with a code.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { createClassroom, getClassroom, listClassrooms, regenerateJoinCode, removeClassroomMember, type ClassroomView } from '../../domain/classrooms.js'
import { joinClassroom } from '../../domain/join-classroom.js'
import { contextOf } from '../request-context.js'
import { createClassroomSchema, getClassroomSchema, joinSchema, listClassroomsSchema, regenerateCodeSchema, removeMemberSchema } from './schemas.js'

const classroomJson = (c: ClassroomView) => ({ ...c, createdAt: c.createdAt.toISOString() })

const classroomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.authDeps
  const staff = app.requireRole('teacher', 'admin')

  app.post('/auth/classrooms', { schema: createClassroomSchema, preHandler: staff }, async (request, reply) => {
    return reply.code(201).send(classroomJson(await createClassroom(deps, request.user!, request.body, contextOf(request))))
  })

  app.get('/auth/classrooms', { schema: listClassroomsSchema, preHandler: app.requireUser }, async (request) => {
    const page = await listClassrooms(deps, request.user!, { limit: request.query.limit, cursor: request.query.cursor })
    return { classrooms: page.items.map(classroomJson), nextCursor: page.nextCursor }
  })

  app.post('/auth/classrooms/join', { schema: joinSchema, preHandler: app.requireRole('student') }, async (request) => {
    return await joinClassroom(deps, request.user!, request.body.code, contextOf(request))
  })

  app.get('/auth/classrooms/:id', { schema: getClassroomSchema, preHandler: staff }, async (request) => {
    const classroom = await getClassroom(deps, request.user!, request.params.id)
    return { ...classroomJson(classroom), members: classroom.members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })) }
  })

  app.post('/auth/classrooms/:id/join-code', { schema: regenerateCodeSchema, preHandler: staff }, async (request) => {
    return await regenerateJoinCode(deps, request.user!, request.params.id)
  })

  app.delete('/auth/classrooms/:id/members/:userId', { schema: removeMemberSchema, preHandler: staff }, async (request, reply) => {
    await removeClassroomMember(deps, request.user!, request.params.id, request.params.userId, contextOf(request))
    return reply.code(204).send(null)
  })
}

export default classroomRoutes
