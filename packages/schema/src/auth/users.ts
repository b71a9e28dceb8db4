// Accounts. The email is stored lower-cased (the unique key); the password only as an argon2id PHC string.
import { text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { auth, userRole } from './schema.js'
import { organizations } from './organizations.js'

export const users = auth.table('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  role: userRole('role').notNull(),
  organizationId: uuid('organization_id').references(() => organizations.id),
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [uniqueIndex('users_email_key').on(t.email), index('users_organization_idx').on(t.organizationId, t.id)])
