// What the two kinds of mailed single-use tokens (verification and password reset) store alike: only a SHA-256
// of the token, its user, when it expires and when it was used. Their repositories are built on this.
import { and, eq, gt, isNull } from 'drizzle-orm'
import { newEventId } from '@dreamseed/events'
import { passwordResetTokens, verificationTokens } from '@dreamseed/schema/auth'
import type { Executor } from '@dreamseed/kit'

type TokenTable = typeof verificationTokens | typeof passwordResetTokens

export function createSingleUseTokens (db: Executor, table: TokenTable) {
  return {
    insert: async (token: { userId: string, tokenHash: string, expiresAt: Date, now: Date }): Promise<void> => {
      await db.insert(table).values({ id: newEventId(), userId: token.userId, tokenHash: token.tokenHash, expiresAt: token.expiresAt, createdAt: token.now })
    },

    /** The token with this hash, locked for the transaction that uses it up when `lock`. */
    findByHash: async (tokenHash: string, options: { lock: boolean }) => {
      const query = db.select({ id: table.id, userId: table.userId, expiresAt: table.expiresAt, usedAt: table.usedAt })
        .from(table).where(eq(table.tokenHash, tokenHash))
      const [row] = options.lock ? await query.for('update') : await query
      return row
    },

    /** Whether a token was issued to the user after `since` (mails are spaced by an interval). */
    issuedSince: async (userId: string, since: Date): Promise<boolean> => {
      const recent = await db.select({ id: table.id }).from(table).where(and(eq(table.userId, userId), gt(table.createdAt, since))).limit(1)
      return recent.length > 0
    },

    markUsed: async (id: string, now: Date): Promise<void> => {
      await db.update(table).set({ usedAt: now }).where(eq(table.id, id))
    },

    /** Uses up every token of the user still out. */
    endOpen: async (userId: string, now: Date): Promise<void> => {
      await db.update(table).set({ usedAt: now }).where(and(eq(table.userId, userId), isNull(table.usedAt)))
    }
  }
}
