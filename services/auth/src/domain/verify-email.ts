// Confirms an address with a token from a mail: single use, expiring, and announced with user.verified.
import { and, eq, isNull } from 'drizzle-orm'
import { users, verificationTokens, authOutbox } from '@dreamseed/schema/auth'
import { newEnvelope, outboxRow, userVerifiedV1 } from '@dreamseed/events'
import type { AuthDeps, RequestMeta } from './deps.js'
import { hashToken } from './tokens.js'
import { VerificationTokenExpiredError, VerificationTokenInvalidError, VerificationTokenUsedError } from './errors.js'

export async function verifyEmail (deps: AuthDeps, token: string, meta: RequestMeta = {}): Promise<{ email: string }> {
  const result = await deps.db.transaction(async (tx) => {
    const now = deps.now()
    const [row] = await tx.select({ id: verificationTokens.id, userId: verificationTokens.userId, expiresAt: verificationTokens.expiresAt, usedAt: verificationTokens.usedAt })
      .from(verificationTokens).where(eq(verificationTokens.tokenHash, hashToken(token))).for('update')
    if (row === undefined) throw new VerificationTokenInvalidError()
    if (row.usedAt !== null) throw new VerificationTokenUsedError()
    if (row.expiresAt.getTime() <= now.getTime()) throw new VerificationTokenExpiredError()
    await tx.update(verificationTokens).set({ usedAt: now }).where(eq(verificationTokens.id, row.id))
    const [user] = await tx.update(users).set({ emailVerifiedAt: now, updatedAt: now })
      .where(and(eq(users.id, row.userId), isNull(users.emailVerifiedAt)))
      .returning({ id: users.id, email: users.email })
    if (user !== undefined) {
      const event = newEnvelope(userVerifiedV1, { userId: user.id, email: user.email, verifiedAt: now.toISOString() }, { ...meta, now })
      await tx.insert(authOutbox).values(outboxRow(event, user.id))
      return { email: user.email, announced: true }
    }
    const [existing] = await tx.select({ email: users.email }).from(users).where(eq(users.id, row.userId))
    return { email: existing?.email ?? '', announced: false }
  })
  if (result.announced) deps.eventsWritten()
  return { email: result.email }
}
