// Schemas more than one exam route uses; the ones every service shares come from the kit.
import { pageQueryFields } from '@dreamseed/kit'

export { ErrorResponse, errorResponses as errors, Uuid, DateTime, IdParams } from '@dreamseed/kit'

/** Cursor pagination of every list: `cursor` is the previous page's `nextCursor`. */
export const pageQuery = pageQueryFields
