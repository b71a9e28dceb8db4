// An admin disables an account of their organization: it cannot sign in again, every session ends, and its
// access tokens are refused by every service. Disabling an already disabled account changes nothing but
// repeats the revocations (useful after a Redis outage). An admin cannot disable themselves.
import { userDisabledV1 } from '@dreamseed/events'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AuthDeps, RequestContext } from './deps.js'
import { currentActor } from './acting-user.js'
import { changeContext, writeEvent } from './membership.js'
import { endSessions } from './sessions.js'
import { refuseTokensIssuedBefore } from './token-revocation.js'
import { OwnAccountError, UserNotFoundError } from '../errors.js'

export interface Disabled {
  id: string
  disabledAt: Date
  sessionsEnded: number
}

export async function disableUser (deps: AuthDeps, user: AuthenticatedUser, subjectId: string, request: RequestContext): Promise<Disabled> {
  if (subjectId === user.id) throw new OwnAccountError()
  const ctx = changeContext(deps, user.id, request)
  const result = await deps.repos.transaction(async (tx) => {
    const accounts = await tx.users.lockAccounts([user.id, subjectId])
    const actor = currentActor(accounts, user)
    const subject = accounts.get(subjectId)
    if (subject === undefined || actor.organizationId === null || subject.organizationId !== actor.organizationId) throw new UserNotFoundError()
    if (subject.disabledAt !== null) return { disabledAt: subject.disabledAt, changed: false }
    await tx.users.disable(subjectId, ctx.now)
    await writeEvent(tx, userDisabledV1, { userId: subjectId, organizationId: subject.organizationId, disabledBy: actor.id, disabledAt: ctx.now.toISOString() }, subjectId, ctx)
    await tx.audit.record({ action: 'user.disable', outcome: 'success', actorId: actor.id, subjectUserId: subjectId, organizationId: subject.organizationId, client: ctx.client, details: { role: subject.role } }, ctx.now)
    return { disabledAt: ctx.now, changed: true }
  })
  if (result.changed) deps.eventsWritten()
  // After the commit: refresh already refuses a disabled account, so these only make the refusal immediate.
  await refuseTokensIssuedBefore(deps, subjectId, ctx.now)
  const ended = await endSessions(deps, { userId: subjectId }, 'user.disable')
  return { id: subjectId, disabledAt: result.disabledAt, sessionsEnded: ended.length }
}
