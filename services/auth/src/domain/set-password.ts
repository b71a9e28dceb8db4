// What every password change does, reset or not, inside the caller's transaction: the new hash, the
// moment it changed, no reset link left usable, sessions ended, an audit entry and user.password.changed.
import { and, eq, isNull } from 'drizzle-orm'
import { authOutbox, passwordResetTokens, users } from '@dreamseed/schema/auth'
import { newEnvelope, outboxRow, userPasswordChangedV1 } from '@dreamseed/events'
import type { RequestMeta } from './deps.js'
import { recordAudit, type ClientInfo } from './audit.js'
import { markSessionsEnded } from './sessions.js'
import type { Tx } from './verification-link.js'

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
export async function setPassword (tx: Tx, change: NewPassword): Promise<string[] | undefined> {
  const { user, now } = change
  const where = change.replacing === undefined ? eq(users.id, user.id) : and(eq(users.id, user.id), eq(users.passwordHash, change.replacing))
  const updated = await tx.update(users).set({ passwordHash: change.passwordHash, passwordChangedAt: now, updatedAt: now }).where(where).returning({ id: users.id })
  if (updated.length === 0) return undefined
  await tx.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, user.id), isNull(passwordResetTokens.usedAt)))
  const ended = await markSessionsEnded(tx, { userId: user.id, ...(change.keepSessionId === undefined ? {} : { exceptSessionId: change.keepSessionId }) }, `password.${change.via}`, now)
  await recordAudit(tx, {
    action: change.via === 'reset' ? 'password.reset' : 'password.change',
    outcome: 'success',
    actorId: user.id,
    subjectUserId: user.id,
    organizationId: user.organizationId,
    client: change.client,
    details: { sessionsEnded: ended.length }
  }, now)
  const event = newEnvelope(userPasswordChangedV1, { userId: user.id, email: user.email, displayName: user.displayName, changedAt: now.toISOString(), via: change.via }, { ...change.meta, now })
  await tx.insert(authOutbox).values(outboxRow(event, user.id))
  return ended
}
