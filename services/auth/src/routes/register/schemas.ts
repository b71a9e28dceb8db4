// The registration request: validated here, at the edge, before any work is done.
import { Type } from 'typebox'
import { DISPLAY_NAME, Email, ErrorResponse } from '../shared-schemas.js'

export const RegisterBody = Type.Object({
  email: Email,
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
