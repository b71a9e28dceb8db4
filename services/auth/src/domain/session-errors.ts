// The failures of signing in and of sessions, each with a stable code.
import { AppError, AuthenticationError, AuthorizationError, NotFoundError } from '@dreamseed/kit'

export class InvalidCredentialsError extends AuthenticationError {
  constructor () { super('AUTH_INVALID_CREDENTIALS', 'The email or the password is wrong') }
}
export class EmailNotVerifiedError extends AuthorizationError {
  constructor () { super('AUTH_EMAIL_NOT_VERIFIED', 'Confirm your email address first; you can ask for a new link') }
}
export class AccountDisabledError extends AuthorizationError {
  constructor () { super('AUTH_ACCOUNT_DISABLED', 'This account has been disabled') }
}
export class SessionExpiredError extends AuthenticationError {
  constructor () { super('AUTH_SESSION_EXPIRED', 'The session has ended; sign in again') }
}
export class SessionNotFoundError extends NotFoundError {
  constructor () { super('AUTH_SESSION_NOT_FOUND', 'No such session') }
}
export type { AppError }
