// Requests and answers of an admin's actions on one account.
import { Type } from 'typebox'
import { ErrorResponse, Uuid } from '../shared-schemas.js'


export const disableSchema = {
  params: Type.Object({ id: Uuid }, { additionalProperties: false }),
  response: {
    200: Type.Object({ id: Uuid, disabledAt: Type.String({ format: 'date-time' }), sessionsEnded: Type.Integer() }),
    '4xx': ErrorResponse,
    '5xx': ErrorResponse
  }
}
