// The statements of proctoring, each one round trip with its events and its audit row: give a session more time,
// end it (and void it) or void an ended one; the live sessions of a classroom; a session's audit. Writes are
// conditional on the state the caller read, like every session write (sessions-repository.ts), and the audit
// row is inserted from the update's own rows, so an action that changed nothing leaves no trace.
import { sql, type SQL } from 'drizzle-orm'
import type { SessionResult } from '@dreamseed/schema/exam'
import type { Envelope } from '@dreamseed/events'
import type { Executor } from '@dreamseed/kit'
import type { AccommodationProfile, SessionState, SessionStatus } from '../domain/model.js'
import { eventRow, iso, type Run } from './sessions-repository.js'

/** One row of exam.proctor_actions. */
export interface ProctorAction {
  id: string
  sessionId: string
  organizationId: string
  actorId: string
  actorRole: 'teacher' | 'admin'
  action: 'pause' | 'resume' | 'extend' | 'end' | 'void'
  details: Record<string, unknown>
  at: Date
}

/** A statement's CTE that writes the audit row once `upd` (the action's update) changed its session. */
export const auditInsert = (a: ProctorAction): SQL => sql`insert into exam.proctor_actions (id, session_id, organization_id, actor_id, actor_role, action, details, at)
  select ${a.id}::uuid, ${a.sessionId}::uuid, ${a.organizationId}::uuid, ${a.actorId}::uuid, ${a.actorRole}, ${a.action}, ${JSON.stringify(a.details)}::jsonb, ${a.at.toISOString()}::timestamptz from upd`

const events = (list: Envelope[], aggregateId: string): SQL => sql`insert into exam.outbox (id, type, version, aggregate_id, envelope)
  select v.* from upd, (values ${sql.join(list.map((e) => eventRow(e, aggregateId)), sql`, `)}) as v`

/** A session of a classroom as its proctor sees it. */
export interface LiveSessionRow {
  id: string
  studentId: string
  examId: string
  examTitle: string
  status: SessionStatus
  responseCount: number
  itemsAnswered: number
  /** Responses flagged as rapid guesses. */
  rapidGuesses: number
  deadlineAt: Date | null
  pausedAt: Date | null
  pauseReason: string | null
  extendedS: number
  startedAt: Date
  lastActivityAt: Date
  /** The profile the session started with; null: none. */
  accommodations: AccommodationProfile | null
}

export interface Ending {
  before: SessionState
  now: Date
  result: SessionResult
  /** The completed event, then the voided one when the session is voided as it ends. */
  events: Envelope[]
  void: { by: string, reason: string } | null
  audit: ProctorAction
}

const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string))

export function createProctoringRepository (db: Executor, run: Run) {
  return {
    /**
     * Moves a session's deadline by `seconds`, as the caller read it (same status, same deadline; one in progress
     * only while its time is not up). False, and nothing written, when it has moved on.
     */
    extend: async (before: SessionState, seconds: number, now: Date, extended: Envelope, audit: ProctorAction): Promise<boolean> => {
      const at = now.toISOString()
      const rows = await run<{ updated: number }>(sql`
        with upd as (
          update exam.sessions set deadline_at = deadline_at + ${seconds}::int * interval '1 second', extended_s = extended_s + ${seconds}::int, updated_at = ${at}::timestamptz
          where id = ${before.id} and status = ${before.status}::exam.session_status and deadline_at = ${iso(before.deadlineAt)}::timestamptz
            and (status <> 'in_progress' or deadline_at > ${at}::timestamptz)
          returning id
        ), ev as (${events([extended], before.id)}), audit as (${auditInsert(audit)})
        select (select count(*) from upd)::int as updated`)
      return rows[0]!.updated === 1
    },

    /**
     * Ends a session in progress, paused or suspended now, scored on what was answered (stop reason proctor),
     * voided too when asked; conditional on the status and responses the caller read.
     */
    end: async (e: Ending): Promise<boolean> => {
      const at = e.now.toISOString()
      const voided = e.void === null ? sql`` : sql`, voided_at = ${at}::timestamptz, voided_by = ${e.void.by}::uuid, void_reason = ${e.void.reason}`
      const rows = await run<{ updated: number }>(sql`
        with upd as (
          update exam.sessions set status = 'completed', completed_at = ${at}::timestamptz, stop_reason = 'proctor', result = ${JSON.stringify(e.result)}::jsonb,
            paused_at = null, updated_at = ${at}::timestamptz${voided}
          where id = ${e.before.id} and status = ${e.before.status}::exam.session_status and response_count = ${e.before.responseCount}
          returning id
        ), ev as (${events(e.events, e.before.id)}), audit as (${auditInsert(e.audit)})
        select (select count(*) from upd)::int as updated`)
      return rows[0]!.updated === 1
    },

    /** Voids an ended session not voided yet; false, and nothing written, when it is not (any more). */
    voidEnded: async (before: SessionState, now: Date, by: string, reason: string, voided: Envelope, audit: ProctorAction): Promise<boolean> => {
      const at = now.toISOString()
      const rows = await run<{ updated: number }>(sql`
        with upd as (
          update exam.sessions set voided_at = ${at}::timestamptz, voided_by = ${by}::uuid, void_reason = ${reason}, updated_at = ${at}::timestamptz
          where id = ${before.id} and status = 'completed' and voided_at is null
          returning id
        ), ev as (${events([voided], before.id)}), audit as (${auditInsert(audit)})
        select (select count(*) from upd)::int as updated`)
      return rows[0]!.updated === 1
    },

    /**
     * The sessions in progress, paused or suspended of the classroom's current students in exams assigned to it,
     * with their exams' titles: up to `limit` after `cursor`, in id order, in one query.
     */
    live: async (classroomId: string, cursor: string | undefined, limit: number): Promise<LiveSessionRow[]> => {
      const rows = await db.execute<Record<string, unknown>>(sql`
        select s.id, s.student_id as "studentId", s.exam_id as "examId", e.title as "examTitle", s.status, s.response_count as "responseCount",
          s.items_answered as "itemsAnswered", s.rapid_count as "rapidGuesses", s.deadline_at as "deadlineAt", s.paused_at as "pausedAt", s.pause_reason as "pauseReason",
          s.extended_s as "extendedS", s.started_at as "startedAt", s.last_activity_at as "lastActivityAt", s.accommodations
        from exam.classroom_members m
        join exam.sessions s on s.student_id = m.user_id and s.status in ('in_progress', 'paused', 'suspended')
        join exam.assignments a on a.exam_id = s.exam_id and a.classroom_id = m.classroom_id
        join exam.exams e on e.id = s.exam_id
        where m.classroom_id = ${classroomId} and not m.removed ${cursor === undefined ? sql`` : sql`and s.id > ${cursor}`}
        order by s.id limit ${limit}`)
      return rows.map((r) => ({
        ...(r as unknown as LiveSessionRow),
        deadlineAt: date(r.deadlineAt),
        pausedAt: date(r.pausedAt),
        startedAt: date(r.startedAt)!,
        lastActivityAt: date(r.lastActivityAt)!
      }))
    },

    /** A session's proctor actions, oldest first, at most `limit`. */
    audit: async (sessionId: string, limit: number): Promise<ProctorAction[]> => {
      const rows = await db.execute<Record<string, unknown>>(sql`
        select id, session_id as "sessionId", organization_id as "organizationId", actor_id as "actorId", actor_role as "actorRole", action, details, at
        from exam.proctor_actions where session_id = ${sessionId} order by at, id limit ${limit}`)
      return rows.map((r) => ({ ...(r as unknown as ProctorAction), at: date(r.at)! }))
    }
  }
}

export type ProctoringRepository = ReturnType<typeof createProctoringRepository>
