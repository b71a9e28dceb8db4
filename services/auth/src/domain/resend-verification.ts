// A new verification mail on request. The answer is the same whatever the address; a mail goes out only to an
// existing, unverified account, and at most once per interval so the form cannot be used to flood a mailbox.
import { and, eq, gt } from 'drizzle-orm'
import { users, verificationTokens, authOutbox } from '@dreamseed/schema/auth'
import { newEnvelope, outboxRow, userVerificationRequestedV1 } from '@dreamseed/events'
import type { AuthDeps, RequestMeta } from './deps.js'
import { normalizeEmail } from './email.js'
import { issueVerificationToken } from './verification-link.js'

export async function resendVerification (deps: AuthDeps, rawEmail: string, meta: RequestMeta = {}): Promise<void> {
  const email = normalizeEmail(rawEmail)
  const wrote = await deps.db.transaction(async (tx) => {
    const now = deps.now()
    const [user] = await tx.select({ id: users.id, displayName: users.displayName, verifiedAt: users.emailVerifiedAt })
      .from(users).where(eq(users.email, email)).for('update')
    if (user === undefined || user.verifiedAt !== null) return false
    const since = new Date(now.getTime() - deps.resendIntervalSeconds * 1000)
    const recent = await tx.select({ id: verificationTokens.id }).from(verificationTokens)
      .where(and(eq(verificationTokens.userId, user.id), gt(verificationTokens.createdAt, since))).limit(1)
    if (recent.length > 0) return false
    const verification = await issueVerificationToken(tx, deps, user.id)
    const event = newEnvelope(userVerificationRequestedV1, { userId: user.id, email, displayName: user.displayName, verification }, { ...meta, now })
    await tx.insert(authOutbox).values(outboxRow(event, user.id))
    return true
  })
  if (wrote) deps.eventsWritten()
}
