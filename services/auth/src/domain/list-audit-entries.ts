// An organization's audit log for its admins, newest first, a page at a time: one indexed query per page
// ((organization_id, id) index; ids are UUIDv7, so id order is time order and a cursor never skips or repeats).
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm'
import { auditLog } from '@dreamseed/schema/auth'
import type { AuthDeps } from './deps.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'

export interface AuditEntryView {
  id: string
  action: string
  outcome: string
  actorId: string | null
  subjectUserId: string | null
  ip: string | null
  userAgent: string | null
  details: unknown
  createdAt: Date
}

export interface AuditFilter {
  action?: string
  /** Entries by or about this user. */
  userId?: string
}

/** `page.cursor` is the id of the last entry already seen (the opaque cursor of the previous page). */
export async function listAuditEntries (deps: Pick<AuthDeps, 'db'>, organizationId: string, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntryView>> {
  const limit = pageSize(page)
  const conditions: SQL[] = [eq(auditLog.organizationId, organizationId)]
  if (page.cursor !== undefined) conditions.push(lt(auditLog.id, page.cursor))
  if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action))
  if (filter.userId !== undefined) conditions.push(or(eq(auditLog.subjectUserId, filter.userId), eq(auditLog.actorId, filter.userId))!)
  const rows = await deps.db.select({
    id: auditLog.id, action: auditLog.action, outcome: auditLog.outcome, actorId: auditLog.actorId, subjectUserId: auditLog.subjectUserId,
    ip: auditLog.ip, userAgent: auditLog.userAgent, details: auditLog.details, createdAt: auditLog.createdAt
  }).from(auditLog).where(and(...conditions)).orderBy(desc(auditLog.id)).limit(limit + 1)
  return toPage(rows, limit)
}
