// The one error handler: every failure leaves as {"error":{"code","message","requestId"}} with the right status.
// Expected failures keep their message; anything unexpected becomes a 500 whose details only reach the log.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, BadRequestError, BadUrlError, DependencyError, InternalError, MalformedJsonError, NotFoundError, PayloadTooLargeError, RateLimitedError, RequestValidationError, RouteNotFoundError, UniqueViolationError, UnsupportedMediaTypeError, UriTooLongError, type ErrorBody, type ErrorDetail } from '../errors.js'
import { isDependencyFailure, sqlState } from '../dependency-failure.js'
import { safeError } from '../safe-error.js'

// Fastify's own errors, in the platform's terms.
const FASTIFY_CODES: Record<string, () => AppError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new PayloadTooLargeError(),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new UnsupportedMediaTypeError(),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new BadRequestError('Invalid content length'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new MalformedJsonError('The body is empty but the content type says JSON'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new MalformedJsonError(),
  FST_ERR_BAD_URL: () => new BadUrlError(),
  FST_ERR_MAX_PARAM_LENGTH: () => new UriTooLongError()
}

/** Errors Fastify raises before routing (a malformed URL, an over-long path parameter), in the same model. */
export function sendFrameworkError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(reply, request, toAppError(error) ?? new BadRequestError())
}

export function toAppError (error: FastifyError | Error): AppError | undefined {
  if (error instanceof AppError) return error
  const fe = error as FastifyError
  if (fe.validation !== undefined) {
    const details: ErrorDetail[] = fe.validation.map((v) => ({
      path: `${fe.validationContext ?? 'body'}${v.instancePath}`.replace(/\//g, '.'),
      message: v.keyword === 'additionalProperties'
        ? `must not have property ${JSON.stringify((v.params as { additionalProperty?: string }).additionalProperty)}`
        : v.message ?? 'is invalid'
    }))
    return new RequestValidationError(`Invalid ${fe.validationContext ?? 'request'}: ${details[0]?.path ?? ''} ${details[0]?.message ?? ''}`.trim(), details)
  }
  const known = fe.code !== undefined ? FASTIFY_CODES[fe.code] : undefined
  if (known !== undefined) return known()
  if (error instanceof SyntaxError && fe.statusCode === 400) return new MalformedJsonError()
  if (isDependencyFailure(error)) return new DependencyError()
  // Data the database cannot store (a NUL byte, an out-of-range number) is the caller's mistake, not ours.
  const state = sqlState(error)
  if (state?.startsWith('22') === true) return new RequestValidationError('A value in the request cannot be stored')
  if (state === '23505') return new UniqueViolationError()
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // A code has one status: a 4xx some plugin raised keeps its code's status (an unknown one is a 400).
    if (fe.statusCode === 429) return new RateLimitedError(undefined, undefined, fe.message)
    if (fe.statusCode === 404) return new NotFoundError(undefined, fe.message)
    return new BadRequestError(fe.message)
  }
  return undefined
}

export function sendError (reply: FastifyReply, request: FastifyRequest, error: AppError): FastifyReply {
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId: request.id } }
  if (error.details !== undefined) body.error.details = error.details
  if (error.headers !== undefined) void reply.headers(error.headers)
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body)
}

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toAppError(error)
    if (known !== undefined) {
      if (known.statusCode >= 500) request.log.warn({ err: safeError(error) }, 'dependency unavailable')
      return sendError(reply, request, known)
    }
    request.log.error({ err: safeError(error) }, 'unhandled error')
    return sendError(reply, request, new InternalError(undefined, 'Internal error; quote the request id when reporting it'))
  })
  app.setNotFoundHandler((request, reply) => sendError(reply, request, new RouteNotFoundError(request.method, request.url.split('?')[0] ?? '')))
  app.addHook('onSend', async (request, reply) => { void reply.header('x-request-id', request.id) })
}, { name: 'dreamseed-error-handler', fastify: '5.x' })
