// Email verification tokens: only a SHA-256 of the token is kept, so a database leak reveals no usable link.
import { text, timestamp, uuid, uniqueIndex, index } from 'drizzle-orm/pg-core'
import { auth } from './schema.js'
import { users } from './users.js'

export const verificationTokens = auth.table('verification_tokens', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [uniqueIndex('verification_tokens_hash_key').on(t.tokenHash), index('verification_tokens_user_idx').on(t.userId)])
