// The verification flow, for people (HTML pages and form posts) and for programs (JSON).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { AppError } from '@dreamseed/kit'
import { verifyEmail } from '../../domain/verify-email.js'
import { resendVerification } from '../../domain/resend-verification.js'
import { TOKEN_PATTERN } from '../../domain/tokens.js'
import { sendPage } from '../../views/html.js'
import { confirmPage, resendPage, verificationFailedPage, verifiedPage, RESEND_NOTICE } from '../../views/verification-pages.js'
import { clientOf, wantsPage } from '../request-context.js'
import { resendPageSchema, resendSchema, verifyPageSchema, verifySchema } from './schemas.js'
import { LoginDelayedError, VerificationPasswordIncorrectError, VerificationTokenInvalidError, invalidInput } from '../../errors.js'

const tokenShape = new RegExp(TOKEN_PATTERN)

/** The confirm page again, with why it did not work: a wrong password or a wait leaves the link usable. */
function confirmAgain (reply: FastifyReply, token: string, error: AppError): FastifyReply {
  if (error.headers !== undefined) reply.headers(error.headers)
  return sendPage(reply, confirmPage(token, error.message), error.statusCode)
}

const verificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/auth/verify', { schema: verifyPageSchema }, async (request, reply) => {
    return sendPage(reply, confirmPage(request.query.token))
  })

  // Validation errors are attached, not thrown, so that a person whose form lacks something gets the page back
  // with the reason; a program still gets the JSON error.
  app.post('/auth/verify', { schema: verifySchema, attachValidation: true }, async (request, reply) => {
    const page = wantsPage(request)
    if (request.validationError !== undefined) {
      if (!page) throw request.validationError
      const token = (request.body as Record<string, unknown> | undefined)?.token
      if (typeof token !== 'string' || !tokenShape.test(token)) return sendPage(reply, verificationFailedPage(new VerificationTokenInvalidError().message), 400)
      return confirmAgain(reply, token, invalidInput('Enter the password you chose when you registered.'))
    }
    const { token, password } = request.body
    if (!page) {
      const { email } = await verifyEmail(app.authDeps, { token, password }, clientOf(request), { requestId: request.id })
      return { status: 'verified' as const, email }
    }
    try {
      const { email } = await verifyEmail(app.authDeps, { token, password }, clientOf(request), { requestId: request.id })
      return sendPage(reply, verifiedPage(email))
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err
      if (err instanceof VerificationPasswordIncorrectError || err instanceof LoginDelayedError) return confirmAgain(reply, token, err)
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
