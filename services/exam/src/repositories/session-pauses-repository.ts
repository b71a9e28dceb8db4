// The statements that stop and restart a session's clock, each one round trip with its event: pause a session in
// progress, resume a paused or suspended one (its deadline moved by the time it stood still), and, for the expiry
// job, claim the sessions gone idle and suspend them, and claim the stopped ones past their resume window.
// Writes are conditional on the state the caller read, like every session write (sessions-repository.ts).
import { sql } from 'drizzle-orm'
import type { Envelope } from '@dreamseed/events'
import type { Executor } from '@dreamseed/kit'
import type { ItemText, PauseReason, SessionState } from '../domain/model.js'
import { eventRow, eventsOfUpdated, iso, loaded, sessionSelect, textOf, type LoadedSession, type Run } from './sessions-repository.js'
import { auditInsert, type ProctorAction } from './proctoring-repository.js'

export interface Resumption {
  before: SessionState
  now: Date
  /** How long the clock stood still: the deadline and the current item's serving time move by as much. */
  pausedMs: number
  resumed: Envelope
  /** A teacher's or an admin's resume: its audit row, written in the same statement. */
  audit?: ProctorAction
}

/** A session in progress gone idle, as the suspension needs it. */
export interface IdleSession {
  id: string
  examId: string
  organizationId: string
  studentId: string
  lastActivityAt: Date
}

const later = (d: Date | null, ms: number): string | null => iso(d === null ? null : new Date(d.getTime() + ms))

export function createSessionPausesRepository (db: Executor, run: Run) {
  return {
    /**
     * Pauses a session in progress whose time is not up, with the audit row of a teacher's or an admin's pause;
     * false, and nothing written, when it is not (any more).
     */
    pause: async (before: SessionState, by: string, reason: PauseReason, now: Date, paused: Envelope, audit?: ProctorAction): Promise<boolean> => {
      const at = now.toISOString()
      const rows = await run<{ updated: number }>(sql`
        with upd as (
          update exam.sessions set status = 'paused', paused_at = ${at}::timestamptz, paused_by = ${by}::uuid, pause_reason = ${reason}, updated_at = ${at}::timestamptz
          where id = ${before.id} and status = 'in_progress' and (deadline_at is null or deadline_at > ${at}::timestamptz)
          returning id
        ), ev as (
          insert into exam.outbox (id, type, version, aggregate_id, envelope) select v.* from upd, (values ${eventRow(paused, before.id)}) as v
        )${audit === undefined ? sql`` : sql`, audit as (${auditInsert(audit)})`}
        select (select count(*) from upd)::int as updated`)
      return rows[0]!.updated === 1
    },

    /**
     * Resumes a paused or suspended session as the caller read it (same status, stopped at the same moment, same
     * deadline: an extension meanwhile is not overwritten) and reads its current item's text; undefined, and
     * nothing written, when it has moved on.
     */
    resume: async (r: Resumption): Promise<{ shown: ItemText | null } | undefined> => {
      const { before, now, pausedMs } = r
      const at = now.toISOString()
      const rows = await run<{ updated: number, shown: ItemText | null }>(sql`
        with upd as (
          update exam.sessions set status = 'in_progress', deadline_at = ${later(before.deadlineAt, pausedMs)}::timestamptz,
            current_served_at = ${later(before.currentServedAt, pausedMs)}::timestamptz, paused_ms = paused_ms + ${pausedMs}::bigint,
            paused_at = null, last_activity_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
          where id = ${before.id} and status = ${before.status}::exam.session_status and paused_at = ${iso(before.pausedAt)}::timestamptz
            and deadline_at is not distinct from ${iso(before.deadlineAt)}::timestamptz
          returning id
        ), ev as (
          insert into exam.outbox (id, type, version, aggregate_id, envelope) select v.* from upd, (values ${eventRow(r.resumed, before.id)}) as v
        )${r.audit === undefined ? sql`` : sql`, audit as (${auditInsert(r.audit)})`}
        select (select count(*) from upd)::int as updated, ${textOf(before.currentItemId)} as shown`)
      return rows[0]!.updated === 1 ? { shown: rows[0]!.shown } : undefined
    },

    /**
     * Claims up to `batch` sessions in progress with no activity since `idleSince`, locked until the transaction
     * ends (replicas skip each other's: SKIP LOCKED). A session whose deadline comes before it would be suspended
     * is left to the deadline. Inside a transaction (transaction()).
     */
    claimIdle: async (idleSince: Date, suspendAfterMs: number, batch: number): Promise<IdleSession[]> => {
      const rows = await db.execute<Record<string, unknown>>(sql`
        select id, exam_id as "examId", organization_id as "organizationId", student_id as "studentId", last_activity_at as "lastActivityAt"
        from exam.sessions where status = 'in_progress' and last_activity_at <= ${idleSince.toISOString()}::timestamptz
          and (deadline_at is null or deadline_at > last_activity_at + ${suspendAfterMs}::int * interval '1 millisecond')
        order by last_activity_at limit ${batch} for update skip locked`)
      return rows.map((r) => ({ id: r.id as string, examId: r.examId as string, organizationId: r.organizationId as string, studentId: r.studentId as string, lastActivityAt: new Date(r.lastActivityAt as string) }))
    },

    /** Suspends claimed idle sessions, their clocks stopped at their last activity, with their events; returns the ids suspended. */
    suspend: async (idle: Array<{ session: IdleSession, paused: Envelope }>, now: Date): Promise<string[]> => {
      const at = now.toISOString()
      const due = sql.join(idle.map(({ session }) => sql`(${session.id}::uuid, ${session.lastActivityAt.toISOString()}::timestamptz)`), sql`, `)
      const events = sql.join(idle.map(({ session, paused }) => eventRow(paused, session.id)), sql`, `)
      const rows = await run<{ id: string }>(sql`
        with due (id, last_activity_at) as (values ${due}), upd as (
          update exam.sessions s set status = 'suspended', paused_at = s.last_activity_at, paused_by = null, pause_reason = 'idle', updated_at = ${at}::timestamptz
          from due where s.id = due.id and s.status = 'in_progress' and s.last_activity_at = due.last_activity_at
          returning s.id
        ), ev as (${eventsOfUpdated(events)})
        select id from upd`)
      return rows.map((r) => r.id)
    },

    /**
     * Claims up to `batch` paused or suspended sessions started at or before `startedBefore` (their resume window
     * over) and reads them whole, locked as claimIdle's. Inside a transaction (transaction()).
     */
    claimPastWindow: async (startedBefore: Date, batch: number): Promise<LoadedSession[]> => {
      const rows = await db.execute<Record<string, unknown>>(sql`with due as (
          select id from exam.sessions where paused_at is not null and status in ('paused', 'suspended') and started_at <= ${startedBefore.toISOString()}::timestamptz
          order by started_at limit ${batch} for update skip locked
        ) ${sessionSelect} where s.id in (select id from due)`)
      return rows.map(loaded)
    }
  }
}

export type SessionPausesRepository = ReturnType<typeof createSessionPausesRepository>
