// What every password change does, reset or not, inside the caller's transaction: the new hash, the
// moment it changed, no reset link left usable, sessions ended, an audit entry and user.password.changed.
import { newEnvelope, userPasswordChangedV1 } from '@dreamseed/events'
import type { Repositories } from '../repositories/index.js'
import type { ClientInfo, RequestMeta } from './deps.js'

export interface NewPassword {
  user: { id: string, email: string, displayName: string, organizationId: string | null }
  passwordHash: string
  via: 'change' | 'reset'
  /** The caller's own session, kept by a change; a reset ends every session. */
  keepSessionId?: string
  /** Only write if the stored hash is still this one (the one the current password was checked against). */
  replacing?: string
  client: ClientInfo
  meta: RequestMeta
  now: Date
}

/** Returns the ids of the sessions ended (to publish after the commit), or undefined when `replacing` no longer matched. */
export async function setPassword (tx: Repositories, change: NewPassword): Promise<string[] | undefined> {
  const { user, now } = change
  if (!await tx.users.setPassword(user.id, change.passwordHash, now, change.replacing)) return undefined
  await tx.passwordResetTokens.endOpen(user.id, now)
  // Ended with the change, or not at all; the caller publishes the revocations after the commit.
  const ended = await tx.sessions.end({ userId: user.id, ...(change.keepSessionId === undefined ? {} : { exceptSessionId: change.keepSessionId }) }, `password.${change.via}`, now)
  await tx.audit.record({
    action: change.via === 'reset' ? 'password.reset' : 'password.change',
    outcome: 'success',
    actorId: user.id,
    subjectUserId: user.id,
    organizationId: user.organizationId,
    client: change.client,
    details: { sessionsEnded: ended.length }
  }, now)
  const event = newEnvelope(userPasswordChangedV1, { userId: user.id, email: user.email, displayName: user.displayName, changedAt: now.toISOString(), via: change.via }, { ...change.meta, now })
  await tx.outbox.append([event], user.id)
  return ended
}
