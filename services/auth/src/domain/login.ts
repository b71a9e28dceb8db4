// Signing in: a new session (a new opaque token every time) and a first access token. A wrong address
// costs a dummy hash verification, so timing does not tell whether an account exists.
import { newEventId } from '@dreamseed/events'
import type { Role } from '@dreamseed/kit'
import type { UserRow } from '../repositories/users-repository.js'
import type { AuthDeps, ClientInfo } from './deps.js'
import { beginLoginAttempt } from './login-throttle.js'
import { normalizeEmail } from './email.js'
import { needsRehash, verifyPassword } from './passwords.js'
import { newToken } from './tokens.js'
import { AccountDisabledError, EmailNotVerifiedError, InvalidCredentialsError } from '../errors.js'

export interface SignedIn {
  sessionToken: string
  accessToken: string
  accessTokenExpiresAt: Date
  session: { id: string, idleExpiresAt: Date, absoluteExpiresAt: Date }
  user: { id: string, email: string, displayName: string, role: Role, organizationId: string | null }
}

export async function login (deps: AuthDeps, input: { email: string, password: string }, client: ClientInfo): Promise<SignedIn> {
  const email = normalizeEmail(input.email)
  const attempt = await beginLoginAttempt(deps, email, client.ip)
  let user: UserRow | undefined
  try {
    user = await deps.repos.users.findByEmail(email)
  } catch (err) {
    // The attempt was counted before the check; a database outage must not lock the account out afterwards.
    await attempt.abandon()
    throw err
  }
  const ok = await verifyPassword(user?.passwordHash ?? deps.dummyHash, input.password)
  await attempt.settle(user !== undefined && ok)
  const now = deps.now()
  if (user === undefined || !ok) {
    await deps.repos.audit.record({ action: 'login', outcome: 'failure', subjectUserId: user?.id ?? null, organizationId: user?.organizationId ?? null, client, details: { reason: user === undefined ? 'unknown_email' : 'wrong_password' } }, now)
    throw new InvalidCredentialsError()
  }
  if (user.disabledAt !== null) {
    await deps.repos.audit.record({ action: 'login', outcome: 'failure', subjectUserId: user.id, organizationId: user.organizationId, client, details: { reason: 'disabled' } }, now)
    throw new AccountDisabledError()
  }
  if (user.emailVerifiedAt === null) {
    await deps.repos.audit.record({ action: 'login', outcome: 'failure', subjectUserId: user.id, organizationId: user.organizationId, client, details: { reason: 'email_not_verified' } }, now)
    throw new EmailNotVerifiedError()
  }
  const rehash = needsRehash(user.passwordHash) ? await deps.hashPassword(input.password) : undefined
  const { token, hash } = newToken()
  const sessionId = newEventId()
  const idleExpiresAt = new Date(now.getTime() + deps.sessions.idleTimeoutSeconds * 1000)
  const absoluteExpiresAt = new Date(now.getTime() + deps.sessions.absoluteTimeoutSeconds * 1000)
  await deps.repos.transaction(async (tx) => {
    await tx.sessions.insert({
      id: sessionId, userId: user.id, tokenHash: hash, userAgent: client.userAgent?.slice(0, 512) ?? null, ip: client.ip,
      now, idleExpiresAt: idleExpiresAt < absoluteExpiresAt ? idleExpiresAt : absoluteExpiresAt, absoluteExpiresAt
    })
    if (rehash !== undefined) await tx.users.rehash(user.id, rehash, now)
    await tx.audit.record({ action: 'login', outcome: 'success', actorId: user.id, subjectUserId: user.id, organizationId: user.organizationId, client, details: rehash === undefined ? undefined : { rehashed: true } }, now)
  })
  const access = await deps.signer.sign({ userId: user.id, sessionId, role: user.role, organizationId: user.organizationId }, now)
  return {
    sessionToken: token,
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    session: { id: sessionId, idleExpiresAt, absoluteExpiresAt },
    user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, organizationId: user.organizationId }
  }
}
