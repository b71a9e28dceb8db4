// Sessions: a student reads the item being shown and answers it; students, teachers and admins read
// sessions as their role allows, and pause and resume them (pause-session.ts says who may).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { answer } from '../../domain/answer-item.js'
import { currentStep, getSession, listSessions } from '../../domain/sessions.js'
import { pauseSession, resumeSession } from '../../domain/pause-session.js'
import { answerSchema, currentSchema, getSessionSchema, listSessionsSchema, pauseSchema, resumeSchema } from './schemas.js'
import { responseJson, sessionJson, stepJson } from './json.js'

const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.examDeps
  const student = app.requireRole('student')

  app.get('/exam/sessions', { schema: listSessionsSchema, preHandler: app.requireUser }, async (request) => {
    const page = await listSessions(deps, request.user!, request.query)
    return { sessions: page.items.map((x) => sessionJson(x, deps.effort.flagBelow)), nextCursor: page.nextCursor }
  })

  app.get('/exam/sessions/:id', { schema: getSessionSchema, preHandler: app.requireUser }, async (request) => {
    const session = await getSession(deps, request.user!, request.params.id)
    return { ...sessionJson(session, deps.effort.flagBelow), ...(session.responses === undefined ? {} : { responses: session.responses.map(responseJson) }) }
  })

  app.get('/exam/sessions/:id/current', { schema: currentSchema, preHandler: student }, async (request) => {
    return stepJson(await currentStep(deps, request.user!, request.params.id, { requestId: request.id }), deps.effort.flagBelow)
  })

  app.post('/exam/sessions/:id/answers', { schema: answerSchema, preHandler: student }, async (request) => {
    return stepJson(await answer(deps, request.user!, request.params.id, request.body, { requestId: request.id }), deps.effort.flagBelow)
  })

  app.post('/exam/sessions/:id/pause', { schema: pauseSchema, preHandler: app.requireUser }, async (request) => {
    return stepJson(await pauseSession(deps, request.user!, request.params.id, { requestId: request.id }), deps.effort.flagBelow)
  })

  app.post('/exam/sessions/:id/resume', { schema: resumeSchema, preHandler: app.requireUser }, async (request) => {
    return stepJson(await resumeSession(deps, request.user!, request.params.id, { requestId: request.id }), deps.effort.flagBelow)
  })
}

export default sessionRoutes
