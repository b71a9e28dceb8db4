// Another organization's record is answered exactly like one that does not exist: a 403 would tell a
// stranger that the id is real. (A member of the organization without the right role or relationship may
// still be told 403: they may know what their organization holds.)
import type { AuthenticatedUser } from './auth/access-token.js'
import type { AppError } from './errors.js'

/** Throws `notFound()` unless the user acts within the given organization. */
export function assertOwnOrganization (user: AuthenticatedUser, organizationId: string | null, notFound: () => AppError): void {
  if (organizationId === null || user.organizationId !== organizationId) throw notFound()
}
