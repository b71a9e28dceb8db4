// The failures of password reset and password change, each with a stable code.
import { AppError } from '@dreamseed/kit'

export class ResetTokenInvalidError extends AppError {
  constructor () { super('AUTH_RESET_TOKEN_INVALID', 'This password reset link is not valid. Ask for a new one.', 400) }
}
export class ResetTokenExpiredError extends AppError {
  constructor () { super('AUTH_RESET_TOKEN_EXPIRED', 'This password reset link has expired. Ask for a new one.', 410) }
}
export class ResetTokenUsedError extends AppError {
  constructor () { super('AUTH_RESET_TOKEN_USED', 'This password reset link has already been used. Ask for a new one if you still need to reset your password.', 410) }
}
// 400, not 401: the caller is signed in, and a 401 would tell clients their session has ended.
export class CurrentPasswordIncorrectError extends AppError {
  constructor () { super('AUTH_CURRENT_PASSWORD_INCORRECT', 'The current password is wrong', 400) }
}
export class PasswordUnchangedError extends AppError {
  constructor () { super('AUTH_PASSWORD_UNCHANGED', 'The new password is the same as the current one', 400) }
}
export class PasswordsDifferError extends AppError {
  constructor () { super('AUTH_PASSWORDS_DIFFER', 'The two passwords are not the same', 400) }
}
