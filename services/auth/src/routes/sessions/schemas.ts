// Sign-in, token refresh and session management requests and answers.
import { Type } from 'typebox'
import { Email, RoleSchema, Uuid, errorResponses } from '../shared-schemas.js'

const SessionToken = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' })

export const loginSchema = {
  body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      sessionToken: Type.String(),
      accessToken: Type.String(),
      tokenType: Type.Literal('Bearer'),
      expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
      session: Type.Object({ id: Uuid, idleExpiresAt: Type.String({ format: 'date-time' }), absoluteExpiresAt: Type.String({ format: 'date-time' }) }),
      user: Type.Object({ id: Uuid, email: Type.String(), displayName: Type.String(), role: RoleSchema, organizationId: Type.Union([Uuid, Type.Null()]) })
    }),
    ...errorResponses
  }
}

export const refreshSchema = {
  body: Type.Object({ sessionToken: SessionToken }, { additionalProperties: false }),
  response: {
    200: Type.Object({ accessToken: Type.String(), tokenType: Type.Literal('Bearer'), expiresIn: Type.Integer(), idleExpiresAt: Type.String({ format: 'date-time' }) }),
    ...errorResponses
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
    ...errorResponses
  }
}

export const sessionParamsSchema = {
  params: Type.Object({ id: Uuid }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errorResponses }
}

export const revokeOthersSchema = {
  response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses }
}

export const noContentSchema = { response: { 204: Type.Null(), ...errorResponses } }
