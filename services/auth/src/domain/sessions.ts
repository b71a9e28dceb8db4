// What a signed-in user does with sessions: refresh an access token (which slides the idle expiry), list
// them, end one, end all others, log out. Ending a session is recorded in the database (refresh refuses
// it) and in Redis (every service refuses its access tokens within a second).
import { revokeSessions } from '@dreamseed/kit'
import type { SessionFilter, SessionView } from '../repositories/sessions-repository.js'
import type { AuthDeps, ClientInfo } from './deps.js'
import { hashToken } from './tokens.js'
import { SessionExpiredError, SessionNotFoundError } from '../errors.js'

export async function refreshAccessToken (deps: AuthDeps, sessionToken: string): Promise<{ accessToken: string, accessTokenExpiresAt: Date, idleExpiresAt: Date }> {
  const now = deps.now()
  const row = await deps.repos.sessions.touch(hashToken(sessionToken), now, new Date(now.getTime() + deps.sessions.idleTimeoutSeconds * 1000))
  if (row === undefined) throw new SessionExpiredError()
  const access = await deps.signer.sign({ userId: row.userId, sessionId: row.id, role: row.role, organizationId: row.organizationId }, now)
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, idleExpiresAt: row.idleExpiresAt }
}

export async function listSessions (deps: AuthDeps, userId: string, currentSessionId: string): Promise<Array<SessionView & { current: boolean }>> {
  const rows = await deps.repos.sessions.listUsable(userId, deps.now())
  return rows.map((r) => ({ ...r, current: r.id === currentSessionId }))
}

/** Ends sessions in the database, then everywhere else through Redis; returns the ids ended. */
export async function endSessions (deps: AuthDeps, filter: SessionFilter, reason: string): Promise<string[]> {
  const ended = await deps.repos.sessions.end(filter, reason, deps.now())
  await publishRevocations(deps, ended)
  return ended
}

export async function publishRevocations (deps: AuthDeps, sessionIds: string[]): Promise<void> {
  try {
    await revokeSessions(deps.redis, sessionIds, deps.signer.ttlSeconds + 60)
  } catch (err) {
    // The database already refuses these sessions at the next refresh; only their current access tokens
    // (minutes at most) outlive a Redis outage.
    deps.revocationFailed(err)
  }
}

export async function revokeOwnSession (deps: AuthDeps, userId: string, sessionId: string, client: ClientInfo, action: 'logout' | 'session.revoke'): Promise<void> {
  const ended = await endSessions(deps, { userId, sessionId }, action)
  if (ended.length === 0) throw new SessionNotFoundError()
  await deps.repos.audit.record({ action, outcome: 'success', actorId: userId, subjectUserId: userId, client, details: { sessionId } }, deps.now())
}

export async function revokeOtherSessions (deps: AuthDeps, userId: string, currentSessionId: string, client: ClientInfo): Promise<number> {
  const ended = await endSessions(deps, { userId, exceptSessionId: currentSessionId }, 'revoke_others')
  await deps.repos.audit.record({ action: 'session.revoke_others', outcome: 'success', actorId: userId, subjectUserId: userId, client, details: { count: ended.length } }, deps.now())
  return ended.length
}
