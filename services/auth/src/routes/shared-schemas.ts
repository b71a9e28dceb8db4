// Schemas more than one auth route uses; the ones every service shares come from the kit.
export { ErrorResponse, PageQuery } from '@dreamseed/kit'
