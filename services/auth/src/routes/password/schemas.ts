// Password reset and change requests. Shapes and lengths are checked here; whether a token or a current
// password is right is the use cases' business.
import { Type } from 'typebox'
import { TOKEN_PATTERN } from '../../domain/tokens.js'
import { Email, errorResponses } from '../shared-schemas.js'

const Token = Type.String({ pattern: TOKEN_PATTERN, maxLength: 43 })
// The same bounds as at registration; the upper one also bounds the cost of hashing.
const NewPassword = Type.String({ minLength: 8, maxLength: 128 })

export const forgotPageSchema = {
  querystring: Type.Object({}, { additionalProperties: false })
}

export const forgotSchema = {
  body: Type.Object({ email: Email }, { additionalProperties: false }),
  response: { 202: Type.Object({ status: Type.Literal('accepted'), message: Type.String() }), ...errorResponses }
}

export const resetPageSchema = {
  querystring: Type.Object({ token: Token }, { additionalProperties: false })
}

export const resetSchema = {
  // passwordConfirm comes from the page's second field; a program may leave it out.
  body: Type.Object({ token: Token, password: NewPassword, passwordConfirm: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false }),
  response: { 200: Type.Object({ status: Type.Literal('password_reset') }), ...errorResponses }
}

export const changeSchema = {
  body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: NewPassword }, { additionalProperties: false }),
  response: { 200: Type.Object({ status: Type.Literal('password_changed'), otherSessionsEnded: Type.Integer({ description: 'sessions other than the caller\'s that were ended' }) }), ...errorResponses }
}
