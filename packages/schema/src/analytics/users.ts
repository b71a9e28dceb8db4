// What analytics knows of an account (user.* and organization.member.added): a name to show teachers, its
// role, and its organization. Each field is written by the events that carry it, so their order is irrelevant.
import { boolean, index, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsUsers = analytics.table('users', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id'),
  displayName: text('display_name'),
  role: text('role'),
  /** When `role` was true: the later of user.created and user.role.changed wins. */
  roleChangedAt: timestamp('role_changed_at', { withTimezone: true }),
  disabled: boolean('disabled').notNull().default(false)
}, (t) => [index('users_organization_idx').on(t.organizationId, t.id)])
