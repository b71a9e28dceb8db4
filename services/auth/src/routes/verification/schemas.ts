// Verification requests. The token shape is checked here; whether it is real, and whether the password is the
// one chosen at registration, is the use case's business.
import { Type } from 'typebox'
import { TOKEN_PATTERN } from '../../domain/tokens.js'
import { Email, ErrorResponse } from '../shared-schemas.js'

const Token = Type.String({ pattern: TOKEN_PATTERN, maxLength: 43 })

export const verifyPageSchema = {
  querystring: Type.Object({ token: Token }, { additionalProperties: false })
}

export const verifySchema = {
  summary: 'Confirm an address: the mailed token and the password chosen at registration',
  description: 'Both are needed: whoever registered an address never sees its mail, and the mailbox\'s owner does not know a password someone else chose. ' +
    'A wrong password is 401 AUTH_VERIFICATION_PASSWORD_INCORRECT and leaves the token usable; it counts as a failed sign-in of the account from the client address, ' +
    'so past the allowance the next try is 429 AUTH_LOGIN_DELAYED with Retry-After. A used or expired token is 410, an unknown one 400. ' +
    'A form post (application/x-www-form-urlencoded) gets an HTML page instead of JSON.',
  body: Type.Object({
    token: Token,
    // The same upper bound as at registration; it also bounds the cost of the check.
    password: Type.String({ minLength: 1, maxLength: 128, description: 'the password chosen when the address was registered (or set since by a password reset)' })
  }, { additionalProperties: false }),
  response: { 200: Type.Object({ status: Type.Literal('verified'), email: Type.String() }), '4xx': ErrorResponse, '5xx': ErrorResponse }
}

export const resendSchema = {
  body: Type.Object({ email: Email }, { additionalProperties: false }),
  response: { 202: Type.Object({ status: Type.Literal('accepted'), message: Type.String() }), '4xx': ErrorResponse }
}

export const resendPageSchema = {
  querystring: Type.Object({}, { additionalProperties: false })
}
