// An organization's audit log for its admins, newest first, a page at a time.
import type { Page, PageRequest } from '@dreamseed/kit'
import type { AuditEntryView, AuditFilter } from '../repositories/audit-repository.js'
import type { AuthDeps } from './deps.js'

export type { AuditEntryView, AuditFilter }

/** `page.cursor` is the id of the last entry already seen (the opaque cursor of the previous page). */
export async function listAuditEntries (deps: Pick<AuthDeps, 'repos'>, organizationId: string, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntryView>> {
  return await deps.repos.audit.list(organizationId, filter, page)
}
