// Sign-in, token refresh and session management requests and answers.
import { Type } from 'typebox'
import { ErrorResponse } from '../shared-schemas.js'

const Uuid = Type.String({ format: 'uuid' })
const SessionToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })
const Role = Type.Union([Type.Literal('student'), Type.Literal('teacher'), Type.Literal('admin')])
const errors = { '4xx': ErrorResponse, '5xx': ErrorResponse }

export const loginSchema = {
  body: Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      sessionToken: Type.String(),
      accessToken: Type.String(),
      tokenType: Type.Literal('Bearer'),
      expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
      session: Type.Object({ id: Uuid, idleExpiresAt: Type.String({ format: 'date-time' }), absoluteExpiresAt: Type.String({ format: 'date-time' }) }),
      user: Type.Object({ id: Uuid, email: Type.String(), displayName: Type.String(), role: Role, organizationId: Type.Union([Uuid, Type.Null()]) })
    }),
    ...errors
  }
}

export const refreshSchema = {
  body: Type.Object({ sessionToken: SessionToken }, { additionalProperties: false }),
  response: {
    200: Type.Object({ accessToken: Type.String(), tokenType: Type.Literal('Bearer'), expiresIn: Type.Integer(), idleExpiresAt: Type.String({ format: 'date-time' }) }),
    ...errors
  }
}

export const listSessionsSchema = {
  response: {
    200: Type.Object({
      sessions: Type.Array(Type.Object({
        id: Uuid,
        userAgent: Type.Union([Type.String(), Type.Null()]),
        ip: Type.Union([Type.String(), Type.Null()]),
        createdAt: Type.String({ format: 'date-time' }),
        lastSeenAt: Type.String({ format: 'date-time' }),
        idleExpiresAt: Type.String({ format: 'date-time' }),
        absoluteExpiresAt: Type.String({ format: 'date-time' }),
        current: Type.Boolean()
      }))
    }),
    ...errors
  }
}

export const sessionParamsSchema = {
  params: Type.Object({ id: Uuid }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errors }
}

export const revokeOthersSchema = {
  response: { 200: Type.Object({ revoked: Type.Integer() }), ...errors }
}

export const noContentSchema = { response: { 204: Type.Null(), ...errors } }
