// Proctoring: a classroom's teacher (or an admin) watches its live sessions, gives one more time, ends or voids
// it, and reads what proctors did to it. Pause and resume are the sessions' own routes (routes/sessions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { endSession, extendSession, listClassroomSessions, sessionAudit } from '../../domain/proctor-session.js'
import { auditSchema, endSchema, extendSchema, liveSessionsSchema } from './schemas.js'
import { stepJson } from '../sessions/json.js'

const isoOrNull = (d: Date | null): string | null => d?.toISOString() ?? null

const proctoringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.examDeps
  const staff = app.requireRole('teacher', 'admin')

  app.get('/exam/classrooms/:classroomId/sessions', { schema: liveSessionsSchema, preHandler: staff }, async (request) => {
    const page = await listClassroomSessions(deps, request.user!, request.params.classroomId, request.query)
    return {
      sessions: page.items.map((s) => ({
        id: s.id,
        studentId: s.studentId,
        examId: s.examId,
        examTitle: s.examTitle,
        status: s.status,
        position: s.responseCount,
        itemsAnswered: s.itemsAnswered,
        rapidGuesses: s.rapidGuesses,
        effort: s.effort,
        lowEffort: s.lowEffort,
        timeLeftS: s.timeLeftS,
        deadlineAt: isoOrNull(s.deadlineAt),
        pausedAt: isoOrNull(s.pausedAt),
        pauseReason: s.pauseReason,
        extendedS: s.extendedS,
        startedAt: s.startedAt.toISOString(),
        lastActivityAt: s.lastActivityAt.toISOString(),
        accommodations: s.accommodations
      })),
      nextCursor: page.nextCursor
    }
  })

  app.post('/exam/sessions/:id/extend', { schema: extendSchema, preHandler: staff }, async (request) => {
    return stepJson(await extendSession(deps, request.user!, request.params.id, request.body.seconds, { requestId: request.id }), deps.effort.flagBelow)
  })

  app.post('/exam/sessions/:id/end', { schema: endSchema, preHandler: staff }, async (request) => {
    return stepJson(await endSession(deps, request.user!, request.params.id, request.body, { requestId: request.id }), deps.effort.flagBelow)
  })

  app.get('/exam/sessions/:id/audit', { schema: auditSchema, preHandler: staff }, async (request) => {
    const actions = await sessionAudit(deps, request.user!, request.params.id)
    return { actions: actions.map((a) => ({ id: a.id, actorId: a.actorId, actorRole: a.actorRole, action: a.action, details: a.details, at: a.at.toISOString() })) }
  })
}

export default proctoringRoutes
