// Who did what, when, from where: logins (successful or not), logouts, revocations, password changes and
// resets, role changes. Ids are UUIDv7, so paging by id is paging by time.
import { jsonb, text, timestamp, uuid, index } from 'drizzle-orm/pg-core'
import { auth } from './schema.js'

export const auditLog = auth.table('audit_log', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id'),
  actorId: uuid('actor_id'),
  subjectUserId: uuid('subject_user_id'),
  action: text('action').notNull(),
  outcome: text('outcome').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  details: jsonb('details'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('audit_log_organization_idx').on(t.organizationId, t.id), index('audit_log_subject_idx').on(t.subjectUserId, t.id)])
