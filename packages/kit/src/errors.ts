// One error model for every service: a stable `code` callers and tests match on, the HTTP status it
// maps to, and whether it is an expected (operational) failure or a bug whose message must stay hidden.
export interface ErrorDetail {
  path: string
  message: string
}

export class AppError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly details: ErrorDetail[] | undefined
  readonly headers: Record<string, string> | undefined

  constructor (code: string, message: string, statusCode: number, options: { cause?: unknown, details?: ErrorDetail[], headers?: Record<string, string> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.statusCode = statusCode
    this.details = options.details
    this.headers = options.headers
  }

  get operational (): boolean {
    return this.statusCode < 500 || this.statusCode === 503
  }
}

type Options = ConstructorParameters<typeof AppError>[3]

export class ValidationError extends AppError {
  constructor (code = 'VALIDATION_FAILED', message = 'The request is not valid', options?: Options) { super(code, message, 400, options) }
}
export class AuthenticationError extends AppError {
  constructor (code = 'AUTHENTICATION_REQUIRED', message = 'Authentication is required', options?: Options) { super(code, message, 401, options) }
}
export class AuthorizationError extends AppError {
  constructor (code = 'FORBIDDEN', message = 'You may not do this', options?: Options) { super(code, message, 403, options) }
}
export class NotFoundError extends AppError {
  constructor (code = 'NOT_FOUND', message = 'Not found', options?: Options) { super(code, message, 404, options) }
}
export class ConflictError extends AppError {
  constructor (code = 'CONFLICT', message = 'Conflict', options?: Options) { super(code, message, 409, options) }
}
export class PayloadTooLargeError extends AppError {
  constructor (code = 'PAYLOAD_TOO_LARGE', message = 'The request body is too large', options?: Options) { super(code, message, 413, options) }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor (code = 'UNSUPPORTED_MEDIA_TYPE', message = 'Unsupported content type', options?: Options) { super(code, message, 415, options) }
}
export class RateLimitedError extends AppError {
  /** Without retryAfterSeconds (a 429 some plugin raised) no Retry-After header is sent. */
  constructor (retryAfterSeconds: number | undefined, code = 'RATE_LIMITED', message = 'Too many requests', options?: Options) {
    super(code, message, 429, retryAfterSeconds === undefined ? options : { ...options, headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } })
  }
}
export class DependencyError extends AppError {
  constructor (code = 'DEPENDENCY_UNAVAILABLE', message = 'A service this request needs is unavailable; try again shortly', options?: Options) { super(code, message, 503, options) }
}
export class InternalError extends AppError {
  constructor (code = 'INTERNAL_ERROR', message = 'Internal error', options?: Options) { super(code, message, 500, options) }
}

// The platform's own failures, raised by the kit on every service (its token check, its error handler). Their
// codes predate the prefix rule and clients match on them, so they keep their names; a service never
// redefines one of them.
export class ForbiddenError extends AuthorizationError {
  constructor (message = 'You may not do this') { super('FORBIDDEN', message) }
}
export class TokenInvalidError extends AuthenticationError {
  constructor () { super('AUTH_TOKEN_INVALID', 'The bearer token is not valid') }
}
export class TokenExpiredError extends AuthenticationError {
  constructor () { super('AUTH_TOKEN_EXPIRED', 'The access token has expired; refresh it') }
}
export class SessionRevokedError extends AuthenticationError {
  constructor () { super('AUTH_SESSION_REVOKED', 'This session has ended; sign in again') }
}
export class RequestValidationError extends ValidationError {
  constructor (message: string, details?: ErrorDetail[]) { super('VALIDATION_FAILED', message, details === undefined ? undefined : { details }) }
}
export class BadRequestError extends AppError {
  constructor (message = 'The request could not be read') { super('BAD_REQUEST', message, 400) }
}
export class MalformedJsonError extends AppError {
  constructor (message = 'The body is not valid JSON') { super('MALFORMED_JSON', message, 400) }
}
export class BadUrlError extends AppError {
  constructor () { super('BAD_URL', 'The URL is not valid (a broken percent-encoding?)', 400) }
}
export class UriTooLongError extends AppError {
  constructor () { super('URI_TOO_LONG', 'A path parameter is too long', 414) }
}
export class RouteNotFoundError extends AppError {
  constructor (method: string, path: string) { super('ROUTE_NOT_FOUND', `No route ${method} ${path}`, 404) }
}
export class UniqueViolationError extends ConflictError {
  constructor () { super('CONFLICT', 'This conflicts with something that already exists') }
}

/** The JSON body every error response has. */
export interface ErrorBody {
  error: { code: string, message: string, requestId: string, details?: ErrorDetail[] }
}
