// Sessions: opened at sign-in, slid by each refresh, ended by logout, revocation, a password change or a
// disabled account, and deleted in batches once they can no longer be used.
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm'
import { sessions, users } from '@dreamseed/schema/auth'
import type { Executor } from '@dreamseed/kit'

export interface SessionView {
  id: string
  userAgent: string | null
  ip: string | null
  createdAt: Date
  lastSeenAt: Date
  idleExpiresAt: Date
  absoluteExpiresAt: Date
}

export interface SessionFilter { userId: string, sessionId?: string, exceptSessionId?: string }

export function createSessionsRepository (db: Executor) {
  return {
    insert: async (session: { id: string, userId: string, tokenHash: string, userAgent: string | null, ip: string, now: Date, idleExpiresAt: Date, absoluteExpiresAt: Date }): Promise<void> => {
      const { now, ...fields } = session
      await db.insert(sessions).values({ ...fields, createdAt: now, lastSeenAt: now }).prepare('auth_session_insert').execute()
    },

    /**
     * One statement checks the session (not ended, not expired) and its user (not disabled) and slides the idle
     * expiry to `idleExpiresAt`, never past the absolute one. Undefined when the session cannot be used.
     */
    touch: async (tokenHash: string, now: Date, idleExpiresAt: Date) => {
      const [row] = await db.update(sessions)
        .set({ lastSeenAt: now, idleExpiresAt: sql`least(${idleExpiresAt.toISOString()}::timestamptz, ${sessions.absoluteExpiresAt})` })
        .from(users)
        .where(and(
          eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt),
          gt(sessions.idleExpiresAt, now), gt(sessions.absoluteExpiresAt, now),
          eq(users.id, sessions.userId), isNull(users.disabledAt)
        ))
        .returning({ id: sessions.id, userId: users.id, role: users.role, organizationId: users.organizationId, idleExpiresAt: sessions.idleExpiresAt })
      return row
    },

    /** A user's usable sessions, newest first (200 at most). */
    listUsable: async (userId: string, now: Date): Promise<SessionView[]> => {
      return await db.select({
        id: sessions.id, userAgent: sessions.userAgent, ip: sessions.ip, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt,
        idleExpiresAt: sessions.idleExpiresAt, absoluteExpiresAt: sessions.absoluteExpiresAt
      }).from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.idleExpiresAt, now), gt(sessions.absoluteExpiresAt, now)))
        .orderBy(desc(sessions.createdAt))
        .limit(200)
    },

    /** Marks sessions ended; returns their ids. */
    end: async (filter: SessionFilter, reason: string, now: Date): Promise<string[]> => {
      const conditions = [eq(sessions.userId, filter.userId), isNull(sessions.revokedAt)]
      if (filter.sessionId !== undefined) conditions.push(eq(sessions.id, filter.sessionId))
      if (filter.exceptSessionId !== undefined) conditions.push(ne(sessions.id, filter.exceptSessionId))
      const ended = await db.update(sessions).set({ revokedAt: now, revokedReason: reason }).where(and(...conditions)).returning({ id: sessions.id })
      return ended.map((s) => s.id)
    },

    /**
     * Deletes up to `batch` sessions that can no longer be used: a short statement on a few rows, claimed with
     * SKIP LOCKED so replicas share the work, instead of one table-wide delete. Returns how many.
     */
    deleteUnusable: async (now: Date, batch: number): Promise<number> => {
      const at = now.toISOString()
      const rows = await db.execute(sql`
        delete from auth.sessions where id in (
          select id from auth.sessions
          where absolute_expires_at < ${at}::timestamptz or idle_expires_at < ${at}::timestamptz or revoked_at is not null
          limit ${batch} for update skip locked)
        returning id`)
      return rows.length
    }
  }
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>
