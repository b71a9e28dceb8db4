// The one error handler: every failure leaves as {"error":{"code","message","requestId"}} with the right status.
// Expected failures keep their message; anything unexpected becomes a 500 whose details only reach the log.
import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, DependencyError, type ErrorBody, type ErrorDetail } from '../errors.js'
import { isDependencyFailure, sqlState } from '../dependency-failure.js'
import { safeError } from '../safe-error.js'

const FASTIFY_CODES: Record<string, { code: string, status: number, message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', status: 413, message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415, message: 'Unsupported content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', status: 400, message: 'Invalid content length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_JSON', status: 400, message: 'The body is empty but the content type says JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_JSON', status: 400, message: 'The body is not valid JSON' },
  FST_ERR_BAD_URL: { code: 'BAD_URL', status: 400, message: 'The URL is not valid (a broken percent-encoding?)' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', status: 414, message: 'A path parameter is too long' }
}

/** Errors Fastify raises before routing (a malformed URL, an over-long path parameter), in the same model. */
export function sendFrameworkError (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendError(reply, request, toAppError(error) ?? new AppError('BAD_REQUEST', 'The request could not be read', 400))
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
    return new AppError('VALIDATION_FAILED', `Invalid ${fe.validationContext ?? 'request'}: ${details[0]?.path ?? ''} ${details[0]?.message ?? ''}`.trim(), 400, { details })
  }
  const known = fe.code !== undefined ? FASTIFY_CODES[fe.code] : undefined
  if (known !== undefined) return new AppError(known.code, known.message, known.status)
  if (error instanceof SyntaxError && fe.statusCode === 400) return new AppError('MALFORMED_JSON', 'The body is not valid JSON', 400)
  if (isDependencyFailure(error)) return new DependencyError()
  // Data the database cannot store (a NUL byte, an out-of-range number) is the caller's mistake, not ours.
  const state = sqlState(error)
  if (state?.startsWith('22') === true) return new AppError('VALIDATION_FAILED', 'A value in the request cannot be stored', 400)
  if (state === '23505') return new AppError('CONFLICT', 'This conflicts with something that already exists', 409)
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError(fe.statusCode === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST', fe.message, fe.statusCode)
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
    return sendError(reply, request, new AppError('INTERNAL_ERROR', 'Internal error; quote the request id when reporting it', 500))
  })
  app.setNotFoundHandler((request, reply) => sendError(reply, request, new AppError('ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`, 404)))
  app.addHook('onSend', async (request, reply) => { void reply.header('x-request-id', request.id) })
}, { name: 'dreamseed-error-handler', fastify: '5.x' })
