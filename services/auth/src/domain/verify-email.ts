// Confirms an address. It takes the token from the mail AND the password chosen at registration: whoever
// registered an address they do not own knows the password but never sees the mail, and the owner who gets a
// mail they did not ask for does not know that password, so only someone holding both the mailbox and the
// password verifies. (Otherwise a stranger could register someone's address first, wait for its owner to
// confirm it, and sign in with the password they chose: account pre-hijacking.) The owner in that situation
// registers again, which replaces the pending password (register-user.ts). A wrong password does not use the
// token up, and is throttled exactly like a failed sign-in (the same counters), so a link cannot be used to
// guess a password. Single use, expiring, and announced with user.verified.
import { newEnvelope, userVerifiedV1 } from '@dreamseed/events'
import type { Repositories } from '../repositories/index.js'
import type { AuthDeps, ClientInfo, RequestMeta } from './deps.js'
import { beginLoginAttempt } from './login-throttle.js'
import { verifyPassword } from './passwords.js'
import { hashToken } from './tokens.js'
import { VerificationPasswordIncorrectError, VerificationTokenExpiredError, VerificationTokenInvalidError, VerificationTokenUsedError } from '../errors.js'

export interface VerificationInput {
  token: string
  password: string
}

async function usableToken (repos: Repositories, token: string, now: Date, lock: boolean) {
  const row = await repos.verificationTokens.findByHash(hashToken(token), { lock })
  if (row === undefined) throw new VerificationTokenInvalidError()
  if (row.usedAt !== null) throw new VerificationTokenUsedError()
  if (row.expiresAt.getTime() <= now.getTime()) throw new VerificationTokenExpiredError()
  return row
}

export async function verifyEmail (deps: AuthDeps, input: VerificationInput, client: ClientInfo, meta: RequestMeta = {}): Promise<{ email: string }> {
  // A link that cannot work is refused before the throttle and the (deliberately slow) password check.
  const token = await usableToken(deps.repos, input.token, deps.now(), false)
  const account = await deps.repos.users.findCredentials(token.userId, { lock: false })
  if (account === undefined) throw new VerificationTokenInvalidError()
  const attempt = await beginLoginAttempt(deps, account.email, client.ip)
  const ok = await verifyPassword(account.passwordHash, input.password)
  await attempt.settle(ok)
  if (!ok) {
    await deps.repos.audit.record({ action: 'email.verify', outcome: 'failure', subjectUserId: token.userId, organizationId: account.organizationId, client, details: { reason: 'wrong_password' } }, deps.now())
    throw new VerificationPasswordIncorrectError()
  }
  const result = await deps.repos.transaction(async (tx) => {
    const now = deps.now()
    const row = await usableToken(tx, input.token, now, true)
    // Only if the password is still the one just checked: a registration of the address in between replaced it.
    const user = await tx.users.verifyIfPassword(row.userId, account.passwordHash, now)
    if (user === undefined) {
      const current = await tx.users.lockVerification(row.userId)
      if (current?.verifiedAt === null) throw new VerificationPasswordIncorrectError()
      await tx.verificationTokens.markUsed(row.id, now)
      return { email: current?.email ?? '', announced: false }
    }
    // This link and every other one still out: the address is verified, none of them has a use left.
    await tx.verificationTokens.endOpen(user.id, now)
    await tx.outbox.append([newEnvelope(userVerifiedV1, { userId: user.id, email: user.email, verifiedAt: now.toISOString() }, { ...meta, now })], user.id)
    return { email: user.email, announced: true }
  })
  if (result.announced) deps.eventsWritten()
  return { email: result.email }
}
