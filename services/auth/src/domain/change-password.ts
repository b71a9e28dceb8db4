// A signed-in user changes their password: the current one is checked, the new one stored, and every other
// session ended (whoever knew the old password may be signed in elsewhere); the caller's session stays.
import type { AuthDeps, ClientInfo, RequestMeta } from './deps.js'
import { verifyPassword } from './passwords.js'
import { publishRevocations } from './sessions.js'
import { setPassword } from './set-password.js'
import { AccountDisabledError, CurrentPasswordIncorrectError, PasswordUnchangedError, SessionExpiredError } from '../errors.js'

export interface PasswordChange {
  currentPassword: string
  newPassword: string
}

export async function changePassword (deps: AuthDeps, caller: { userId: string, sessionId: string }, input: PasswordChange, client: ClientInfo, meta: RequestMeta = {}): Promise<{ otherSessionsEnded: number }> {
  const user = await deps.repos.users.findCredentials(caller.userId, { lock: false })
  if (user === undefined) throw new SessionExpiredError()
  const fail = async (reason: string, error: Error): Promise<never> => {
    await deps.repos.audit.record({ action: 'password.change', outcome: 'failure', actorId: user.id, subjectUserId: user.id, organizationId: user.organizationId, client, details: { reason } }, deps.now())
    throw error
  }
  if (user.disabledAt !== null) return await fail('disabled', new AccountDisabledError())
  if (!await verifyPassword(user.passwordHash, input.currentPassword)) return await fail('wrong_password', new CurrentPasswordIncorrectError())
  if (input.newPassword === input.currentPassword) return await fail('unchanged', new PasswordUnchangedError())
  const passwordHash = await deps.hashPassword(input.newPassword)
  const ended = await deps.repos.transaction(async (tx) => {
    // Written only over the hash the current password was checked against: of two changes at once, one wins.
    return await setPassword(tx, { user, passwordHash, via: 'change', keepSessionId: caller.sessionId, replacing: user.passwordHash, client, meta, now: deps.now() })
  })
  if (ended === undefined) return await fail('changed_meanwhile', new CurrentPasswordIncorrectError())
  await publishRevocations(deps, ended)
  deps.eventsWritten()
  return { otherSessionsEnded: ended.length }
}
