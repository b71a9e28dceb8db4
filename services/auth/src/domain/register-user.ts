// Registration. The answer never says whether the address was new, and every path costs the same hash and the
// same statements in one transaction (see below).
//
// - A new address: an account, unverified, and user.created (the verification mail).
// - An address whose account was never verified: the account takes this registration's password, display name
//   and role (the role only while it belongs to no organization), and, unless a verification mail went out less
//   than VERIFICATION_RESEND_INTERVAL_S ago, every link still out is ended and user.verification.requested
//   brings a new one. Whoever registered first proved nothing: they may have typed someone else's address. The
//   latest registrant's password is the one verification asks for (verify-email.ts), so only someone who holds
//   the mailbox and chose that password can verify, and an owner who finds their address taken simply registers.
//   Within the interval no new mail goes out (a registration cannot be used to flood a mailbox); the link already
//   mailed then works with the new password.
// - A verified (or disabled) account: nothing changes, and user.registration.repeated tells its owner (the
//   mailer sends that at most once per ACCOUNT_EXISTS_MAIL_INTERVAL_S per address, so auth's work here does not
//   depend on whether a mail will follow).
import { newEnvelope, userCreatedV1, userRegistrationRepeatedV1, userRoleChangedV1, userVerificationRequestedV1 } from '@dreamseed/events'
import type { AuthDeps, RequestMeta } from './deps.js'
import { normalizeEmail } from './email.js'
import { renewVerificationToken } from './verification-link.js'

export interface RegistrationInput {
  email: string
  password: string
  role: 'student' | 'teacher'
  displayName: string
}

export async function registerUser (deps: AuthDeps, input: RegistrationInput, meta: RequestMeta = {}): Promise<void> {
  const email = normalizeEmail(input.email)
  const displayName = input.displayName.trim()
  const passwordHash = await deps.hashPassword(input.password)
  const wrote = await deps.repos.transaction(async (tx) => {
    const now = deps.now()
    const at = now.toISOString()
    // 1. The account, if the address is new.
    const created = await tx.users.insertIfNew({ email, passwordHash, displayName, role: input.role, now })
    // 2. The account locked and read as it was; one never verified (nor disabled) takes this registration's choices.
    const account = await tx.users.lockAndTakeRegistration({ email, passwordHash, displayName, role: input.role, created, now })
    if (account === undefined) throw new Error('user vanished during registration')
    const pending = !account.verified && !account.disabled
    // 3. A verification token for a new or pending account, unless one was mailed within the resend interval.
    const since = new Date(now.getTime() - deps.resendIntervalSeconds * 1000)
    const verification = await renewVerificationToken(tx, deps, account.id, { wanted: pending, since: created ? now : since })
    // 4. The events.
    const events = []
    if (created) {
      if (verification === null) throw new Error('no verification token for a new account')
      events.push(newEnvelope(userCreatedV1, { userId: account.id, email, displayName, role: input.role, verification }, { ...meta, now }))
    } else if (pending) {
      if (verification !== null) events.push(newEnvelope(userVerificationRequestedV1, { userId: account.id, email, displayName, verification }, { ...meta, now }))
      if (account.organization_id === null && account.role !== input.role) {
        events.push(newEnvelope(userRoleChangedV1, { userId: account.id, organizationId: null, previousRole: account.role, role: input.role, changedBy: null, changedAt: at }, { ...meta, now }))
      }
    } else {
      events.push(newEnvelope(userRegistrationRepeatedV1, { userId: account.id, email, displayName: account.display_name }, { ...meta, now }))
    }
    await tx.outbox.append(events, account.id)
    return events.length > 0
  })
  if (wrote) deps.eventsWritten()
}
