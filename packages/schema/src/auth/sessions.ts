// Login sessions, kept in Postgres so they survive restarts and serve any number of replicas. The session
// token is opaque (256 random bits) and only its SHA-256 is stored; expiry is both idle (sliding) and absolute.
import { text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { auth } from './schema.js'
import { users } from './users.js'

export const sessions = auth.table('sessions', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  userAgent: text('user_agent'),
  ip: text('ip'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true }).notNull(),
  absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revokedReason: text('revoked_reason')
}, (t) => [
  uniqueIndex('sessions_token_hash_key').on(t.tokenHash),
  index('sessions_user_idx').on(t.userId, t.createdAt),
  index('sessions_idle_expiry_idx').on(t.idleExpiresAt),
  index('sessions_absolute_expiry_idx').on(t.absoluteExpiresAt)
])
