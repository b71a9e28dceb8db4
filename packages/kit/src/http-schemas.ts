// Request and response schemas every service's routes share: the error model, ids, and list paging.
import { Type } from 'typebox'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js'

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() })))
  })
})

/** Spread into a route's `response` so every 4xx and 5xx is documented as the error model. */
export const errorResponses = { '4xx': ErrorResponse, '5xx': ErrorResponse }

export const Uuid = Type.String({ format: 'uuid' })
export const DateTime = Type.String({ format: 'date-time' })
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })

/** Fields of a list's query string; spread them into a route's own query object when it has filters. */
export const pageQueryFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  cursor: Type.Optional(Type.String({ format: 'uuid', description: 'nextCursor of the previous page' }))
}

export const PageQuery = Type.Object(pageQueryFields, { additionalProperties: false })
