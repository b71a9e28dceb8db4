// What a signed-in user does with sessions: refresh an access token (which slides the idle expiry), list
// them, end one, end all others, log out. Ending a session is recorded in the database (refresh refuses
// it) and in Redis (every service refuses its access tokens within a second).
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm'
import { sessions, users } from '@dreamseed/schema/auth'
import { revokeSessions } from '@dreamseed/kit'
import type { AuthDeps } from './deps.js'
import { recordAudit, type ClientInfo } from './audit.js'
import { hashToken } from './tokens.js'
import { SessionExpiredError, SessionNotFoundError } from '../errors.js'

export async function refreshAccessToken (deps: AuthDeps, sessionToken: string): Promise<{ accessToken: string, accessTokenExpiresAt: Date, idleExpiresAt: Date }> {
  const now = deps.now()
  const idle = new Date(now.getTime() + deps.sessions.idleTimeoutSeconds * 1000)
  // One statement checks the session and its user and slides the idle expiry (never past the absolute one).
  const [row] = await deps.db.update(sessions)
    .set({ lastSeenAt: now, idleExpiresAt: sql`least(${idle.toISOString()}::timestamptz, ${sessions.absoluteExpiresAt})` })
    .from(users)
    .where(and(
      eq(sessions.tokenHash, hashToken(sessionToken)), isNull(sessions.revokedAt),
      gt(sessions.idleExpiresAt, now), gt(sessions.absoluteExpiresAt, now),
      eq(users.id, sessions.userId), isNull(users.disabledAt)
    ))
    .returning({ id: sessions.id, userId: users.id, role: users.role, organizationId: users.organizationId, idleExpiresAt: sessions.idleExpiresAt })
  if (row === undefined) throw new SessionExpiredError()
  const access = await deps.signer.sign({ userId: row.userId, sessionId: row.id, role: row.role, organizationId: row.organizationId }, now)
  return { accessToken: access.token, accessTokenExpiresAt: access.expiresAt, idleExpiresAt: row.idleExpiresAt }
}

export interface SessionView {
  id: string
  userAgent: string | null
  ip: string | null
  createdAt: Date
  lastSeenAt: Date
  idleExpiresAt: Date
  absoluteExpiresAt: Date
  current: boolean
}

export async function listSessions (deps: AuthDeps, userId: string, currentSessionId: string): Promise<SessionView[]> {
  const now = deps.now()
  const rows = await deps.db.select({
    id: sessions.id, userAgent: sessions.userAgent, ip: sessions.ip, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt,
    idleExpiresAt: sessions.idleExpiresAt, absoluteExpiresAt: sessions.absoluteExpiresAt
  }).from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.idleExpiresAt, now), gt(sessions.absoluteExpiresAt, now)))
    .orderBy(desc(sessions.createdAt))
    .limit(200)
  return rows.map((r) => ({ ...r, current: r.id === currentSessionId }))
}

/** Ends sessions in the database, then everywhere else through Redis; returns the ids ended. */
export async function endSessions (deps: AuthDeps, filter: SessionFilter, reason: string): Promise<string[]> {
  const ended = await markSessionsEnded(deps.db, filter, reason, deps.now())
  await publishRevocations(deps, ended)
  return ended
}

export interface SessionFilter { userId: string, sessionId?: string, exceptSessionId?: string }

/** Ends sessions in the database only, inside the caller's transaction (a password change ends them with the
 * change, or not at all); the caller publishes the returned ids with publishRevocations after the commit. */
export async function markSessionsEnded (db: Pick<AuthDeps['db'], 'update'>, filter: SessionFilter, reason: string, now: Date): Promise<string[]> {
  const conditions = [eq(sessions.userId, filter.userId), isNull(sessions.revokedAt)]
  if (filter.sessionId !== undefined) conditions.push(eq(sessions.id, filter.sessionId))
  if (filter.exceptSessionId !== undefined) conditions.push(ne(sessions.id, filter.exceptSessionId))
  const ended = await db.update(sessions).set({ revokedAt: now, revokedReason: reason }).where(and(...conditions)).returning({ id: sessions.id })
  return ended.map((s) => s.id)
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
  await recordAudit(deps.db, { action, outcome: 'success', actorId: userId, subjectUserId: userId, client, details: { sessionId } }, deps.now())
}

export async function revokeOtherSessions (deps: AuthDeps, userId: string, currentSessionId: string, client: ClientInfo): Promise<number> {
  const ended = await endSessions(deps, { userId, exceptSessionId: currentSessionId }, 'revoke_others')
  await recordAudit(deps.db, { action: 'session.revoke_others', outcome: 'success', actorId: userId, subjectUserId: userId, client, details: { count: ended.length } }, deps.now())
  return ended.length
}
