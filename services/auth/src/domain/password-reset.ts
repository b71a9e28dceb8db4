// Password reset through a mailed link. Asking answers the same, at about the same cost, whatever the address;
// a mail goes only to an existing, enabled account, at most once per interval. The link's token is 256 random
// bits, stored as a SHA-256, single use and expiring; using it sets the password and ends every session,
// since whoever knew the old password may be signed in somewhere.
//
// A reset of an account whose address was never verified also verifies it: the link came through the mailbox
// and the password is the one chosen with it, which is all verification asks for (verify-email.ts). Whatever
// password someone registered the address with before is gone, and so is every verification link still out.
import { newEnvelope, newEventId, passwordResetSealContext, seal, userPasswordResetRequestedV1, userVerifiedV1 } from '@dreamseed/events'
import type { Repositories } from '../repositories/index.js'
import type { AuthDeps, ClientInfo, RequestMeta } from './deps.js'
import { normalizeEmail } from './email.js'
import { clearLoginFailures } from './login-throttle.js'
import { publishRevocations } from './sessions.js'
import { setPassword } from './set-password.js'
import { hashToken, newToken } from './tokens.js'
import { AccountDisabledError, ResetTokenExpiredError, ResetTokenInvalidError, ResetTokenUsedError } from '../errors.js'

export async function requestPasswordReset (deps: AuthDeps, rawEmail: string, meta: RequestMeta = {}): Promise<void> {
  const email = normalizeEmail(rawEmail)
  // The token is made (random bytes, a SHA-256, a seal) before knowing whether it will be used, so an unknown
  // address does the same work as a known one; both then go through the same transaction and the same queries.
  const { token, hash } = newToken()
  const wrote = await deps.repos.transaction(async (tx) => {
    // Locking a known account's row writes WAL, so its commit waits for a flush an unknown address's read-only
    // transaction skips (8 vs 12 ms here): a content-free WAL record on every path, as resend-verification.ts does.
    await tx.writeWalRecord()
    const now = deps.now()
    const user = await tx.users.lockByEmail(email)
    const userId = user?.id ?? newEventId()
    const sealedToken = seal(deps.sealKey, token, passwordResetSealContext(userId))
    const recent = await tx.passwordResetTokens.issuedSince(userId, new Date(now.getTime() - deps.passwordResetIntervalSeconds * 1000))
    if (user === undefined || user.disabledAt !== null || recent) return false
    const expiresAt = new Date(now.getTime() + deps.passwordResetTtlMinutes * 60_000)
    await tx.passwordResetTokens.insert({ userId, tokenHash: hash, expiresAt, now })
    const event = newEnvelope(userPasswordResetRequestedV1, { userId, email, displayName: user.displayName, reset: { sealedToken, expiresAt: expiresAt.toISOString() } }, { ...meta, now })
    await tx.outbox.append([event], userId)
    return true
  })
  if (wrote) deps.eventsWritten()
}

type TokenState = { ok: true, tokenId: string, userId: string } | { ok: false, error: () => Error, userId?: string, reason?: string }

async function tokenState (repos: Repositories, token: string, now: Date, lock: boolean): Promise<TokenState> {
  const row = await repos.passwordResetTokens.findByHash(hashToken(token), { lock })
  if (row === undefined) return { ok: false, error: () => new ResetTokenInvalidError() }
  if (row.usedAt !== null) return { ok: false, error: () => new ResetTokenUsedError(), userId: row.userId, reason: 'token_used' }
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, error: () => new ResetTokenExpiredError(), userId: row.userId, reason: 'token_expired' }
  return { ok: true, tokenId: row.id, userId: row.userId }
}

/** For the page the link opens: whether the token can still be used, and for whom. Reads only, so a mail
 * scanner that fetches the link uses nothing up. */
export async function checkResetToken (deps: AuthDeps, token: string): Promise<{ email: string }> {
  const state = await tokenState(deps.repos, token, deps.now(), false)
  if (!state.ok) throw state.error()
  const user = await deps.repos.users.findCredentials(state.userId, { lock: false })
  if (user === undefined) throw new ResetTokenInvalidError()
  if (user.disabledAt !== null) throw new AccountDisabledError()
  return { email: user.email }
}

export async function resetPassword (deps: AuthDeps, input: { token: string, password: string }, client: ClientInfo, meta: RequestMeta = {}): Promise<{ email: string }> {
  // A link that cannot work is refused before the (deliberately slow) password hash.
  const first = await tokenState(deps.repos, input.token, deps.now(), false)
  if (!first.ok) return await refuse(deps, first, client)
  const passwordHash = await deps.hashPassword(input.password)
  const result = await deps.repos.transaction(async (tx) => {
    const now = deps.now()
    const state = await tokenState(tx, input.token, now, true)
    if (!state.ok) return state
    const user = await tx.users.findCredentials(state.userId, { lock: true })
    if (user === undefined) return { ok: false as const, error: () => new ResetTokenInvalidError() }
    if (user.disabledAt !== null) return { ok: false as const, error: () => new AccountDisabledError(), userId: user.id, reason: 'disabled' }
    const ended = await setPassword(tx, { user, passwordHash, via: 'reset', client, meta, now })
    if (user.verifiedAt === null) {
      await tx.users.markVerified(user.id, now)
      await tx.verificationTokens.endOpen(user.id, now)
      await tx.outbox.append([newEnvelope(userVerifiedV1, { userId: user.id, email: user.email, verifiedAt: now.toISOString() }, { ...meta, now })], user.id)
    }
    return { ok: true as const, email: user.email, ended: ended ?? [] }
  })
  if (!result.ok) return await refuse(deps, result, client)
  await publishRevocations(deps, result.ended)
  // The owner is back: failed sign-ins (perhaps the reason for the reset) no longer delay them.
  await clearLoginFailures(deps, result.email)
  deps.eventsWritten()
  return { email: result.email }
}

async function refuse (deps: AuthDeps, state: Extract<TokenState, { ok: false }>, client: ClientInfo): Promise<never> {
  if (state.userId !== undefined) {
    await deps.repos.audit.record({ action: 'password.reset', outcome: 'failure', subjectUserId: state.userId, client, details: { reason: state.reason } }, deps.now())
  }
  throw state.error()
}
