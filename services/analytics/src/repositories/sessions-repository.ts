// analytics' copy of exam sessions, written by the exam projections in any arrival order: a response may come
// before its session's start, a completion before either.
import { sql } from 'drizzle-orm'
import { analyticsSessions } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'
import type { AccommodationProfile } from '@dreamseed/schema/analytics'

export interface SessionKey { sessionId: string, examId: string, organizationId: string, studentId: string }

export type SessionResult = Required<Pick<typeof analyticsSessions.$inferInsert, 'completedAt' | 'subject' | 'reason' | 'theta' | 'se' | 'itemsAnswered' | 'correctCount' | 'types' | 'rapidGuesses' | 'effort' | 'lowEffort'>>

/** The accommodation profile a session ran with, as its events carry it: null for none, undefined when the event predates profiles (left as it is). */
export type SessionAccommodations = AccommodationProfile | null | undefined

const accommodationsOf = (a: SessionAccommodations): { accommodations?: AccommodationProfile | null } => a === undefined ? {} : { accommodations: a }

export function createSessionsRepository (db: Db | Tx) {
  const s = analyticsSessions
  const row = (key: SessionKey) => ({ id: key.sessionId, examId: key.examId, organizationId: key.organizationId, studentId: key.studentId })
  return {
    async ensure (key: SessionKey): Promise<void> {
      await db.insert(s).values(row(key)).onConflictDoNothing()
    },

    /** `ensure` for many sessions in one statement: keys distinct by session, in the order to lock them, sent as one JSON parameter (see recordMany). */
    async ensureMany (keys: SessionKey[]): Promise<void> {
      if (keys.length === 0) return
      const rows = keys.map((k) => ({ id: k.sessionId, exam_id: k.examId, organization_id: k.organizationId, student_id: k.studentId }))
      await db.execute(sql`insert into analytics.sessions (id, exam_id, organization_id, student_id) select * from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, exam_id uuid, organization_id uuid, student_id uuid) on conflict do nothing`)
    },

    async start (key: SessionKey, examKind: string, startedAt: Date, accommodations: SessionAccommodations): Promise<void> {
      const set = { examKind, startedAt, ...accommodationsOf(accommodations) }
      await db.insert(s).values({ ...row(key), ...set })
        .onConflictDoUpdate({ target: s.id, set })
    },

    /**
     * Voids the session (the row stays, marked): of two voids the earlier one's time and reason stay, so any
     * arrival order ends the same.
     */
    async void (key: SessionKey, voidedAt: Date, reason: string): Promise<void> {
      const earlier = sql`${s.voidedAt} is null or excluded.voided_at < ${s.voidedAt}`
      await db.insert(s).values({ ...row(key), voided: true, voidedAt, voidReason: reason })
        .onConflictDoUpdate({ target: s.id, set: { voided: true, voidedAt: sql`case when ${earlier} then excluded.voided_at else ${s.voidedAt} end`, voidReason: sql`case when ${earlier} then excluded.void_reason else ${s.voidReason} end` } })
    },

    /** Adds an extension: the seconds to the total, and the deadline of the latest extension (by its time). */
    async extend (key: SessionKey, seconds: number, deadlineAt: Date, extendedAt: Date): Promise<void> {
      const later = sql`${s.extendedAt} is null or excluded.extended_at >= ${s.extendedAt}`
      await db.insert(s).values({ ...row(key), extensionS: seconds, deadlineAt, extendedAt })
        .onConflictDoUpdate({ target: s.id, set: {
          extensionS: sql`${s.extensionS} + excluded.extension_s`,
          deadlineAt: sql`case when ${later} then excluded.deadline_at else ${s.deadlineAt} end`,
          extendedAt: sql`greatest(${s.extendedAt}, excluded.extended_at)`
        } })
    },

    /** The session's result; its start time only where none is known yet. */
    async complete (key: SessionKey, startedAt: Date, result: SessionResult, accommodations: SessionAccommodations): Promise<void> {
      const set = { ...result, ...accommodationsOf(accommodations) }
      await db.insert(s).values({ ...row(key), startedAt, ...set })
        .onConflictDoUpdate({ target: s.id, set: { ...set, startedAt: sql`coalesce(${s.startedAt}, excluded.started_at)` } })
    }
  }
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>
