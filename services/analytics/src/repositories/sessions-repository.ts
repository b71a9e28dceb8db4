// analytics' copy of exam sessions, written by the exam projections in any arrival order: a response may come
// before its session's start, a completion before either.
import { sql } from 'drizzle-orm'
import { analyticsSessions } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

export interface SessionKey { sessionId: string, examId: string, organizationId: string, studentId: string }

export type SessionResult = Required<Pick<typeof analyticsSessions.$inferInsert, 'completedAt' | 'subject' | 'reason' | 'theta' | 'se' | 'itemsAnswered' | 'correctCount'>>

export function createSessionsRepository (db: Db | Tx) {
  const s = analyticsSessions
  const row = (key: SessionKey) => ({ id: key.sessionId, examId: key.examId, organizationId: key.organizationId, studentId: key.studentId })
  return {
    async ensure (key: SessionKey): Promise<void> {
      await db.insert(s).values(row(key)).onConflictDoNothing()
    },

    /** `ensure` for many sessions in one statement: keys distinct by session, in the order to lock them. */
    async ensureMany (keys: SessionKey[]): Promise<void> {
      if (keys.length === 0) return
      await db.insert(s).values(keys.map(row)).onConflictDoNothing()
    },

    async start (key: SessionKey, examKind: string, startedAt: Date): Promise<void> {
      await db.insert(s).values({ ...row(key), examKind, startedAt })
        .onConflictDoUpdate({ target: s.id, set: { examKind, startedAt } })
    },

    /** The session's result; its start time only where none is known yet. */
    async complete (key: SessionKey, startedAt: Date, result: SessionResult): Promise<void> {
      await db.insert(s).values({ ...row(key), startedAt, ...result })
        .onConflictDoUpdate({ target: s.id, set: { ...result, startedAt: sql`coalesce(${s.startedAt}, excluded.started_at)` } })
    }
  }
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>
