// Confirms an address. It takes the token from the mail AND the password chosen at registration: whoever
// registered an address they do not own knows the password but never sees the mail, and the owner who gets a
// mail they did not ask for does not know that password, so only someone holding both the mailbox and the
// password verifies. (Otherwise a stranger could register someone's address first, wait for its owner to
// confirm it, and sign in with the password they chose: account pre-hijacking.) The owner in that situation
// registers again, which replaces the pending password (register-user.ts). A wrong password does not use the
// token up, and is throttled exactly like a failed sign-in (the same counters), so a link cannot be used to
// guess a password. Single use, expiring, and announced with user.verified.
import { and, eq, isNull } from 'drizzle-orm'
import { users, verificationTokens, authOutbox } from '@dreamseed/schema/auth'
import { newEnvelope, outboxRow, userVerifiedV1 } from '@dreamseed/events'
import type { AuthDeps, RequestMeta } from './deps.js'
import { recordAudit, type ClientInfo } from './audit.js'
import { beginLoginAttempt } from './login-throttle.js'
import { verifyPassword } from './passwords.js'
import { hashToken } from './tokens.js'
import type { Tx } from './verification-link.js'
import { VerificationPasswordIncorrectError, VerificationTokenExpiredError, VerificationTokenInvalidError, VerificationTokenUsedError } from '../errors.js'

export interface VerificationInput {
  token: string
  password: string
}

async function usableToken (db: Pick<Tx, 'select'>, token: string, now: Date, lock: boolean) {
  const query = db.select({ id: verificationTokens.id, userId: verificationTokens.userId, expiresAt: verificationTokens.expiresAt, usedAt: verificationTokens.usedAt })
    .from(verificationTokens).where(eq(verificationTokens.tokenHash, hashToken(token)))
  const [row] = lock ? await query.for('update') : await query
  if (row === undefined) throw new VerificationTokenInvalidError()
  if (row.usedAt !== null) throw new VerificationTokenUsedError()
  if (row.expiresAt.getTime() <= now.getTime()) throw new VerificationTokenExpiredError()
  return row
}

export async function verifyEmail (deps: AuthDeps, input: VerificationInput, client: ClientInfo, meta: RequestMeta = {}): Promise<{ email: string }> {
  // A link that cannot work is refused before the throttle and the (deliberately slow) password check.
  const token = await usableToken(deps.db, input.token, deps.now(), false)
  const [account] = await deps.db.select({ email: users.email, passwordHash: users.passwordHash, organizationId: users.organizationId })
    .from(users).where(eq(users.id, token.userId))
  if (account === undefined) throw new VerificationTokenInvalidError()
  const attempt = await beginLoginAttempt(deps, account.email, client.ip)
  const ok = await verifyPassword(account.passwordHash, input.password)
  await attempt.settle(ok)
  if (!ok) {
    await recordAudit(deps.db, { action: 'email.verify', outcome: 'failure', subjectUserId: token.userId, organizationId: account.organizationId, client, details: { reason: 'wrong_password' } }, deps.now())
    throw new VerificationPasswordIncorrectError()
  }
  const result = await deps.db.transaction(async (tx) => {
    const now = deps.now()
    const row = await usableToken(tx, input.token, now, true)
    // Only if the password is still the one just checked: a registration of the address in between replaced it.
    const [user] = await tx.update(users).set({ emailVerifiedAt: now, updatedAt: now })
      .where(and(eq(users.id, row.userId), isNull(users.emailVerifiedAt), eq(users.passwordHash, account.passwordHash)))
      .returning({ id: users.id, email: users.email })
    if (user === undefined) {
      const [current] = await tx.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, row.userId)).for('update')
      if (current?.verifiedAt === null) throw new VerificationPasswordIncorrectError()
      await tx.update(verificationTokens).set({ usedAt: now }).where(eq(verificationTokens.id, row.id))
      return { email: current?.email ?? '', announced: false }
    }
    // This link and every other one still out: the address is verified, none of them has a use left.
    await tx.update(verificationTokens).set({ usedAt: now }).where(and(eq(verificationTokens.userId, user.id), isNull(verificationTokens.usedAt)))
    const event = newEnvelope(userVerifiedV1, { userId: user.id, email: user.email, verifiedAt: now.toISOString() }, { ...meta, now })
    await tx.insert(authOutbox).values(outboxRow(event, user.id))
    return { email: user.email, announced: true }
  })
  if (result.announced) deps.eventsWritten()
  return { email: result.email }
}
