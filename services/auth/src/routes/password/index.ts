// Password reset (for people: HTML pages and form posts; for programs: JSON) and password change (signed in).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '@dreamseed/kit'
import { changePassword } from '../../domain/change-password.js'
import { checkResetToken, requestPasswordReset, resetPassword } from '../../domain/password-reset.js'
import { TOKEN_PATTERN } from '../../domain/tokens.js'
import { sendPage } from '../../views/html.js'
import { FORGOT_NOTICE, forgotPage, passwordResetDonePage, resetFailedPage, resetPage } from '../../views/password-pages.js'
import { clientOf, wantsPage } from '../request-context.js'
import { changeSchema, forgotPageSchema, forgotSchema, resetPageSchema, resetSchema } from './schemas.js'
import { PasswordsDifferError, ResetTokenInvalidError, invalidInput } from '../../errors.js'

const tokenShape = new RegExp(TOKEN_PATTERN)

const passwordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = app.authDeps

  /** The page for a token: the form when it can be used, else why not and where to ask again. */
  const tokenPage = async (reply: FastifyReply, token: string, error?: AppError): Promise<FastifyReply> => {
    try {
      const { email } = await checkResetToken(deps, token)
      return sendPage(reply, resetPage({ token, email, ...(error === undefined ? {} : { error: error.message }) }), error?.statusCode ?? 200)
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err
      return sendPage(reply, resetFailedPage(err.message), err.statusCode)
    }
  }

  app.get('/auth/password/forgot', { schema: forgotPageSchema }, async (_request, reply) => sendPage(reply, forgotPage()))

  app.post('/auth/password/forgot', { schema: forgotSchema }, async (request, reply) => {
    await requestPasswordReset(deps, request.body.email, { requestId: request.id })
    if (wantsPage(request)) return sendPage(reply, forgotPage(FORGOT_NOTICE), 202)
    return reply.code(202).send({ status: 'accepted', message: FORGOT_NOTICE })
  })

  app.get('/auth/password/reset', { schema: resetPageSchema }, async (request, reply) => await tokenPage(reply, request.query.token))

  // Validation errors are attached, not thrown, so that a person who typed a bad password into the page gets
  // the page back with the reason; a program still gets the JSON error.
  app.post('/auth/password/reset', { schema: resetSchema, attachValidation: true }, async (request, reply) => {
    const page = wantsPage(request)
    if (request.validationError !== undefined) {
      if (!page) throw request.validationError
      return await formError(reply, request, invalidInput('Choose a password of 8 to 128 characters.'))
    }
    const { token, password, passwordConfirm } = request.body
    if (passwordConfirm !== undefined && passwordConfirm !== password) {
      if (!page) throw new PasswordsDifferError()
      return await tokenPage(reply, token, new PasswordsDifferError())
    }
    if (!page) {
      await resetPassword(deps, { token, password }, clientOf(request), { requestId: request.id })
      return { status: 'password_reset' as const }
    }
    try {
      await resetPassword(deps, { token, password }, clientOf(request), { requestId: request.id })
      return sendPage(reply, passwordResetDonePage())
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err
      return sendPage(reply, resetFailedPage(err.message), err.statusCode)
    }
  })

  /** A form post that failed validation: the form again if its token is sound, else the failure page. */
  const formError = async (reply: FastifyReply, request: FastifyRequest, error: AppError): Promise<FastifyReply> => {
    const token = (request.body as Record<string, unknown> | undefined)?.token
    if (typeof token !== 'string' || !tokenShape.test(token)) return sendPage(reply, resetFailedPage(new ResetTokenInvalidError().message), 400)
    return await tokenPage(reply, token, error)
  }

  app.post('/auth/password/change', { schema: changeSchema, preHandler: app.requireUser }, async (request) => {
    const user = request.user!
    const { otherSessionsEnded } = await changePassword(deps, { userId: user.id, sessionId: user.sessionId }, request.body, clientOf(request), { requestId: request.id })
    return { status: 'password_changed' as const, otherSessionsEnded }
  })
}

export default passwordRoutes
