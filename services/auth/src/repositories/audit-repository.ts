// The audit log: who did what to whom, when, from where, and how it ended; read by an organization's admins.
import { and, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm'
import { auditLog } from '@dreamseed/schema/auth'
import { newEventId } from '@dreamseed/events'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'
import type { Executor } from '@dreamseed/kit'

export type AuditAction = 'login' | 'email.verify' | 'logout' | 'session.revoke' | 'session.revoke_others' | 'password.change' | 'password.reset' | 'role.change' | 'user.disable' | 'organization.create' | 'organization.add_member' | 'organization.invite' | 'invitation.accept' | 'invitation.decline' | 'invitation.withdraw' | 'admin.create' | 'accommodations.set' | 'accommodations.clear'

/** The client a request came from, as the audit log records it. */
export interface ClientInfo {
  ip: string
  userAgent: string | undefined
}

export interface AuditEntry {
  action: AuditAction
  outcome: 'success' | 'failure'
  actorId?: string | null
  subjectUserId?: string | null
  organizationId?: string | null
  client?: ClientInfo
  details?: Record<string, unknown>
}

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

export function createAuditRepository (db: Executor) {
  return {
    record: async (entry: AuditEntry, now: Date): Promise<void> => {
      await db.insert(auditLog).values({
        id: newEventId(),
        action: entry.action,
        outcome: entry.outcome,
        actorId: entry.actorId ?? null,
        subjectUserId: entry.subjectUserId ?? null,
        // Unless told otherwise, an entry belongs to its subject's organization, so its admins see it (a logout, a revocation).
        organizationId: entry.organizationId !== undefined ? entry.organizationId : entry.subjectUserId == null ? null : sql`(select organization_id from auth.users where id = ${entry.subjectUserId})`,
        ip: entry.client?.ip ?? null,
        userAgent: entry.client?.userAgent?.slice(0, 512) ?? null,
        details: entry.details ?? null,
        createdAt: now
      }).prepare('auth_audit_record').execute()
    },

    /**
     * An organization's entries, newest first, one indexed query per page ((organization_id, id) index; ids are
     * UUIDv7, so id order is time order and a cursor, the id of the last entry seen, never skips or repeats).
     */
    list: async (organizationId: string, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntryView>> => {
      const limit = pageSize(page)
      const conditions: SQL[] = [eq(auditLog.organizationId, organizationId)]
      if (page.cursor !== undefined) conditions.push(lt(auditLog.id, page.cursor))
      if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action))
      if (filter.userId !== undefined) conditions.push(or(eq(auditLog.subjectUserId, filter.userId), eq(auditLog.actorId, filter.userId))!)
      const rows = await db.select({
        id: auditLog.id, action: auditLog.action, outcome: auditLog.outcome, actorId: auditLog.actorId, subjectUserId: auditLog.subjectUserId,
        ip: auditLog.ip, userAgent: auditLog.userAgent, details: auditLog.details, createdAt: auditLog.createdAt
      }).from(auditLog).where(and(...conditions)).orderBy(desc(auditLog.id)).limit(limit + 1)
      return toPage(rows, limit)
    }
  }
}

export type AuditRepository = ReturnType<typeof createAuditRepository>
