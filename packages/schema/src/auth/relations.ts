// Relations between auth's tables, for drizzle's relational queries.
import { relations } from 'drizzle-orm'
import { users } from './users.js'
import { verificationTokens } from './verification-tokens.js'

export const usersRelations = relations(users, ({ many }) => ({ verificationTokens: many(verificationTokens) }))
export const verificationTokensRelations = relations(verificationTokens, ({ one }) => ({
  user: one(users, { fields: [verificationTokens.userId], references: [users.id] })
}))
