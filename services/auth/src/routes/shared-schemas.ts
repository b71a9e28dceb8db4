// Schemas more than one auth route uses; the ones every service shares come from the kit.
import { Type } from 'typebox'

export { DateTime, ErrorResponse, IdParams, PageQuery, Uuid, errorResponses, pageQueryFields } from '@dreamseed/kit'

export const RoleSchema = Type.Union([Type.Literal('student'), Type.Literal('teacher'), Type.Literal('admin')])

export const Email = Type.String({ format: 'email', maxLength: 254 })

// Printable text with at least one visible character: no control characters (Postgres refuses NUL anyway).
export const DISPLAY_NAME = '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$'
