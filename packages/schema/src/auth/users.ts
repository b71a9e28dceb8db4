// Accounts. The email is stored lower-cased (the unique key); the password only as an argon2id PHC string.
import { text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core'
import { auth, userRole } from './schema.js'

export const users = auth.table('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull(),
  passwordHash: text('password_hash').notNull(),
  displayName: text('display_name').notNull(),
  role: userRole('role').notNull(),
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [uniqueIndex('users_email_key').on(t.email)])
