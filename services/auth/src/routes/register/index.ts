// POST /auth/register: creates an account (or, for a known address, mails its owner) and answers 202 either way.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { registerUser } from '../../domain/register-user.js'
import { registerSchema } from './schemas.js'

const ACCEPTED = { status: 'pending_verification', message: 'Check your inbox to confirm your address.' } as const

const registerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/auth/register', { schema: registerSchema }, async (request, reply) => {
    await registerUser(app.authDeps, request.body, { requestId: request.id })
    return reply.code(202).send(ACCEPTED)
  })
}

export default registerRoutes
