// The registration request: validated here, at the edge, before any work is done.
import { Type } from 'typebox'
import { ErrorResponse } from '../shared-schemas.js'

// Printable text with at least one visible character: no control characters (Postgres refuses NUL anyway).
export const DISPLAY_NAME = '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$'

export const RegisterBody = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Type.String({ minLength: 8, maxLength: 128 }),
  role: Type.Union([Type.Literal('student'), Type.Literal('teacher')]),
  displayName: Type.String({ minLength: 1, maxLength: 100, pattern: DISPLAY_NAME })
}, { additionalProperties: false })

export const RegisterAccepted = Type.Object({
  status: Type.Literal('pending_verification'),
  message: Type.String()
})

export const registerSchema = {
  summary: 'Register: the same 202 whatever the address',
  description: 'A new address gets an account and a verification mail. An address registered but never verified takes this registration\'s password, display name and role, ' +
    'and a new verification mail unless one went out within VERIFICATION_RESEND_INTERVAL_S (verification asks for this password). ' +
    'A verified address changes nothing; its owner is told, at most once per hour. The answer and its cost do not say which.',
  body: RegisterBody,
  response: { 202: RegisterAccepted, '4xx': ErrorResponse, '5xx': ErrorResponse }
}
