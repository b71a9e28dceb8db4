// Verification requests. The token shape is checked here; whether it is real is the use case's business.
import { Type } from 'typebox'
import { TOKEN_PATTERN } from '../../domain/tokens.js'
import { ErrorResponse } from '../shared-schemas.js'

const Token = Type.String({ pattern: TOKEN_PATTERN, maxLength: 43 })

export const verifyPageSchema = {
  querystring: Type.Object({ token: Token }, { additionalProperties: false })
}

export const verifySchema = {
  body: Type.Object({ token: Token }, { additionalProperties: false }),
  response: { 200: Type.Object({ status: Type.Literal('verified'), email: Type.String() }), '4xx': ErrorResponse }
}

export const resendSchema = {
  body: Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false }),
  response: { 202: Type.Object({ status: Type.Literal('accepted'), message: Type.String() }), '4xx': ErrorResponse }
}

export const resendPageSchema = {
  querystring: Type.Object({}, { additionalProperties: false })
}
