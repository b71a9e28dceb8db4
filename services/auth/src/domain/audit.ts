// Writes the audit log: who did what to whom, when, from where, and how it ended.
import { sql } from 'drizzle-orm'
import { auditLog } from '@dreamseed/schema/auth'
import { newEventId } from '@dreamseed/events'
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'

export type AuditAction = 'login' | 'email.verify' | 'logout' | 'session.revoke' | 'session.revoke_others' | 'password.change' | 'password.reset' | 'role.change' | 'user.disable' | 'organization.create' | 'organization.add_member' | 'organization.invite' | 'invitation.accept' | 'invitation.decline' | 'invitation.withdraw' | 'admin.create'

export interface AuditEntry {
  action: AuditAction
  outcome: 'success' | 'failure'
  actorId?: string | null
  subjectUserId?: string | null
  organizationId?: string | null
  client?: ClientInfo
  details?: Record<string, unknown>
}

export interface ClientInfo {
  ip: string
  userAgent: string | undefined
}

type Db = Pick<PostgresJsDatabase<Record<string, unknown>>, 'insert'>

export async function recordAudit (db: Db, entry: AuditEntry, now: Date): Promise<void> {
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
  })
}
