// auth's failures, each with a stable code.
import { AppError } from '@dreamseed/kit'

export class VerificationTokenInvalidError extends AppError {
  constructor () { super('AUTH_VERIFICATION_TOKEN_INVALID', 'This verification link is not valid. Ask for a new one.', 400) }
}
export class VerificationTokenExpiredError extends AppError {
  constructor () { super('AUTH_VERIFICATION_TOKEN_EXPIRED', 'This verification link has expired. Ask for a new one.', 410) }
}
export class VerificationTokenUsedError extends AppError {
  constructor () { super('AUTH_VERIFICATION_TOKEN_USED', 'This verification link has already been used. Ask for a new one if your address is not verified yet.', 410) }
}
export class VerificationPasswordIncorrectError extends AppError {
  constructor () {
    super('AUTH_VERIFICATION_PASSWORD_INCORRECT', 'This is not the password this address was registered with. If you do not know it, someone else may have registered your address: register again with it to choose your own password, and use the link in the new mail.', 401)
  }
}
