// GET /auth/audit: the query and the page of entries.
import { Type } from 'typebox'
import { ErrorResponse, Uuid, pageQueryFields } from '@dreamseed/kit'

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const auditListSchema = {
  querystring: Type.Object({
    ...pageQueryFields,
    action: Type.Optional(Type.String({ pattern: '^[a-z][a-z_.]{0,63}$', description: 'e.g. login, logout, session.revoke' })),
    userId: Type.Optional(Type.String({ format: 'uuid', description: 'entries by or about this user' }))
  }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      entries: Type.Array(Type.Object({
        id: Uuid,
        action: Type.String(),
        outcome: Type.String(),
        actorId: Nullable(Uuid),
        subjectUserId: Nullable(Uuid),
        ip: Nullable(Type.String()),
        userAgent: Nullable(Type.String()),
        details: Type.Unknown(),
        createdAt: Type.String({ format: 'date-time' })
      })),
      nextCursor: Nullable(Type.String({ description: 'pass as cursor for the next page; null on the last page' }))
    }),
    '4xx': ErrorResponse,
    '5xx': ErrorResponse
  }
}
