// The verification flow, for people (HTML pages and form posts) and for programs (JSON).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { AppError } from '@dreamseed/kit'
import { verifyEmail } from '../../domain/verify-email.js'
import { resendVerification } from '../../domain/resend-verification.js'
import { sendPage } from '../../views/html.js'
import { confirmPage, resendPage, verificationFailedPage, verifiedPage, RESEND_NOTICE } from '../../views/verification-pages.js'
import { resendPageSchema, resendSchema, verifyPageSchema, verifySchema } from './schemas.js'

/** A browser's form post gets a page back; anything else gets JSON. */
export const wantsPage = (request: FastifyRequest): boolean => (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')

const verificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/auth/verify', { schema: verifyPageSchema }, async (request, reply) => {
    return sendPage(reply, confirmPage(request.query.token))
  })

  app.post('/auth/verify', { schema: verifySchema }, async (request, reply) => {
    if (!wantsPage(request)) return await verifyEmail(app.authDeps, request.body.token, { requestId: request.id }).then(({ email }) => ({ status: 'verified' as const, email }))
    try {
      const { email } = await verifyEmail(app.authDeps, request.body.token, { requestId: request.id })
      return sendPage(reply, verifiedPage(email))
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err
      return sendPage(reply, verificationFailedPage(err.message), err.statusCode)
    }
  })

  app.get('/auth/verification/resend', { schema: resendPageSchema }, async (_request, reply) => {
    return sendPage(reply, resendPage())
  })

  app.post('/auth/verification/resend', { schema: resendSchema }, async (request, reply) => {
    await resendVerification(app.authDeps, request.body.email, { requestId: request.id })
    if (wantsPage(request)) return sendPage(reply, resendPage(RESEND_NOTICE), 202)
    return reply.code(202).send({ status: 'accepted', message: RESEND_NOTICE })
  })
}

export default verificationRoutes
