// Invitations into an organization: an admin names an address and a role, and the account owner with that
// address accepts or declines while the invitation lasts. One row per organization and address (inviting again
// refreshes it); accepting or declining deletes it. No account is looked up to write one, so the row says
// nothing about whether the address has an account.
import { text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { auth, userRole } from './schema.js'
import { organizations } from './organizations.js'
import { users } from './users.js'

export const invitations = auth.table('invitations', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  /** Lower-cased, as users.email is. */
  email: text('email').notNull(),
  role: userRole('role').notNull(),
  invitedBy: uuid('invited_by').notNull().references(() => users.id),
  /** The inviting admin's organization: pending invitations are counted against it (a new organization's first admin is invited from the creator's). */
  inviterOrganizationId: uuid('inviter_organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
  /** When the last invitation mail was asked for; inviting again sooner than the resend interval sends none. */
  mailedAt: timestamp('mailed_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('invitations_organization_email_key').on(t.organizationId, t.email),
  index('invitations_email_idx').on(t.email, t.id),
  index('invitations_inviter_organization_idx').on(t.inviterOrganizationId, t.expiresAt)
])
