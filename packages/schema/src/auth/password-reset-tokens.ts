// Password reset tokens: single use, one hour, only their SHA-256 stored.
import { text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { auth } from './schema.js'
import { users } from './users.js'

export const passwordResetTokens = auth.table('password_reset_tokens', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [uniqueIndex('password_reset_tokens_hash_key').on(t.tokenHash), index('password_reset_tokens_user_idx').on(t.userId)])
