// The statements of a session's life, each one round trip: read a session whole (row, exam, responses, its
// organization's bank version and the text of the item it shows), start one with its event, record an answer
// with what follows it and its events (and the text of the next item), claim the sessions past their deadline,
// and end them; and the page of sessions a list shows. Item texts are read here, when shown, not held in
// memory (bank-cache.ts). Writes are conditional on the state the caller holds (status, response count, item
// shown, bank version), so two replicas or two retries cannot record an answer twice, skip one, or record one
// computed with items that have changed since.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { examOutbox, sessions, type SessionResult } from '@dreamseed/schema/exam'
import { outboxRow, type Envelope } from '@dreamseed/events'
import { pageSize, toPage, type Executor, type Page, type PageRequest } from '@dreamseed/kit'
import type { AccommodationProfile, ItemText, PauseReason, RecordedResponse, SessionState } from '../domain/model.js'
import type { SessionView } from '../domain/session-views.js'
import { taughtBy } from './classrooms-repository.js'
import { bankVersionOf } from './item-bank-repository.js'
import { thresholdOf } from './item-timing-repository.js'

export const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString())
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string))

export type Row = Record<string, unknown>

export function toState (row: Row): SessionState {
  const responses = (row.responses as Row[]).map((r): RecordedResponse => ({
    position: r.position as number,
    itemId: r.itemId as string,
    optionIndex: (r.optionIndex as number | null) ?? null,
    answer: (r.answer as RecordedResponse['answer']) ?? null,
    score: r.score as number,
    maxScore: r.maxScore as number,
    correct: r.correct as boolean,
    pretest: r.pretest as boolean,
    thetaAfter: r.thetaAfter as number,
    seAfter: r.seAfter as number,
    timeTakenMs: (r.timeTakenMs as number | null) ?? null,
    servedAt: date(r.servedAt)!,
    answeredAt: date(r.answeredAt)!,
    rapidGuess: r.rapidGuess as boolean,
    thresholdMs: (r.thresholdMs as number | null) ?? null
  }))
  return {
    id: row.id as string,
    examId: row.examId as string,
    organizationId: row.organizationId as string,
    studentId: row.studentId as string,
    status: row.status as SessionState['status'],
    seed: row.seed as number,
    theta: row.theta as number,
    se: row.se as number,
    responseCount: row.responseCount as number,
    itemsAnswered: row.itemsAnswered as number,
    correctCount: row.correctCount as number,
    currentItemId: (row.currentItemId as string | null) ?? null,
    currentServedAt: date(row.currentServedAt),
    currentThresholdMs: (row.currentThresholdMs as number | null) ?? null,
    rapidCount: row.rapidCount as number,
    startedAt: date(row.startedAt)!,
    deadlineAt: date(row.deadlineAt),
    completedAt: date(row.completedAt),
    stopReason: (row.stopReason as string | null) ?? null,
    result: (row.result as SessionResult | null) ?? null,
    lastActivityAt: date(row.lastActivityAt)!,
    pausedAt: date(row.pausedAt),
    pausedBy: (row.pausedBy as string | null) ?? null,
    pauseReason: (row.pauseReason as PauseReason | null) ?? null,
    // bigint: postgres.js reads it as a string.
    pausedMs: Number(row.pausedMs),
    extendedS: row.extendedS as number,
    voidedAt: date(row.voidedAt),
    voidReason: (row.voidReason as string | null) ?? null,
    accommodations: (row.accommodations as SessionState['accommodations']) ?? null,
    responses,
    exam: row.exam as SessionState['exam']
  }
}

/** An item's text as a scalar subquery (null without an item), so the statement that needs it reads it. */
export const textOf = (itemId: SQL | string | null): SQL => sql`(select json_build_object('id', i.id, 'type', i.type, 'stem', i.stem, 'options', i.options,
  'passage', (select json_build_object('id', p.id, 'title', p.title, 'stimulus', p.stimulus) from exam.passages p where p.id = i.passage_id))
  from exam.items i where i.id = ${itemId})`

export const sessionSelect = sql`select s.id, s.exam_id as "examId", s.organization_id as "organizationId", s.student_id as "studentId", s.status, s.seed,
  s.theta, s.se, s.response_count as "responseCount", s.items_answered as "itemsAnswered", s.correct_count as "correctCount",
  s.current_item_id as "currentItemId", s.current_served_at as "currentServedAt", s.current_threshold_ms as "currentThresholdMs", s.rapid_count as "rapidCount", s.started_at as "startedAt", s.deadline_at as "deadlineAt",
  s.completed_at as "completedAt", s.stop_reason as "stopReason", s.result, s.last_activity_at as "lastActivityAt",
  s.paused_at as "pausedAt", s.paused_by as "pausedBy", s.pause_reason as "pauseReason", s.paused_ms as "pausedMs",
  s.extended_s as "extendedS", s.voided_at as "voidedAt", s.void_reason as "voidReason", s.accommodations,
  json_build_object('id', e.id, 'organizationId', e.organization_id, 'kind', e.kind, 'subject', e.subject, 'topics', e.topics,
    'itemIds', e.item_ids, 'settings', e.settings, 'stopping', e.stopping) as exam,
  coalesce((select json_agg(json_build_object('position', r.position, 'itemId', r.item_id, 'optionIndex', r.option_index, 'answer', r.answer, 'score', r.score, 'maxScore', r.max_score, 'correct', r.correct,
    'pretest', r.pretest, 'thetaAfter', r.theta_after, 'seAfter', r.se_after, 'timeTakenMs', r.time_taken_ms, 'servedAt', r.served_at,
    'answeredAt', r.answered_at, 'rapidGuess', r.rapid_guess, 'thresholdMs', r.threshold_ms) order by r.position) from exam.responses r where r.session_id = s.id), '[]'::json) as responses,
  ${bankVersionOf(sql`s.organization_id`)} as "bankVersion",
  ${textOf(sql`s.current_item_id`)} as shown
  from exam.sessions s join exam.exams e on e.id = s.exam_id`

/** A session as the database has it, and its organization's bank version and its item's text read in the same snapshot. */
export interface LoadedSession {
  state: SessionState
  bankVersion: number
  shown: ItemText | null
}

export const loaded = (row: Row): LoadedSession => ({ state: toState(row), bankVersion: Number(row.bankVersion), shown: (row.shown as ItemText | null) ?? null })

/** Runs a statement: the pool's prepared runner on the hot paths (one round trip), a transaction's inside one. */
export type Run = <T>(query: SQL) => Promise<T[]>

/** Whose sessions a read may find: a student's own, or an organization's (anyone else's is "not found", unread). */
export type SessionScope = { studentId: string } | { organizationId: string }

/** Whose sessions a list shows: a student's own; an organization's, or only those of a teacher's students. */
export type SessionListScope = { studentId: string } | { organizationId: string, teacherId?: string }

export const eventRow = (e: Envelope, aggregateId: string): SQL => {
  const row = outboxRow(e, aggregateId)
  return sql`(${row.id}::uuid, ${row.type}, ${row.version}::int, ${row.aggregateId}, ${JSON.stringify(row.envelope)}::jsonb)`
}

/**
 * The outbox insert of a statement that changes several sessions at once (a CTE named `upd` returning their
 * ids): each session's event is written only if its row was changed, so a session another replica moved on
 * meanwhile gets no event.
 */
export const eventsOfUpdated = (events: SQL): SQL => sql`insert into exam.outbox (id, type, version, aggregate_id, envelope)
  select v.* from (values ${events}) as v (id, type, version, aggregate_id, envelope) where v.aggregate_id in (select id::text from upd)`

export interface AnswerWrite {
  /** The state the answer was checked against. */
  before: SessionState
  /** The version of the bank the answer was checked and the next item chosen with. */
  bankVersion: number
  response: RecordedResponse
  after: Pick<SessionState, 'status' | 'theta' | 'se' | 'itemsAnswered' | 'correctCount' | 'currentItemId' | 'currentServedAt' | 'completedAt' | 'stopReason' | 'result'>
  events: Envelope[]
  now: Date
  /** The rapid-guess threshold of the next item when it has none of its own. */
  defaultThresholdMs: number
}

export interface Completion {
  /** The state the result was computed from. */
  before: SessionState
  result: SessionResult
  /** What the session shows as its stop reason: time-limit, or resume-window for a pause left too long. */
  stopReason: string
  completed: Envelope
}

const listColumns = {
  id: sessions.id,
  examId: sessions.examId,
  studentId: sessions.studentId,
  status: sessions.status,
  startedAt: sessions.startedAt,
  deadlineAt: sessions.deadlineAt,
  completedAt: sessions.completedAt,
  stopReason: sessions.stopReason,
  itemsAnswered: sessions.itemsAnswered,
  responseCount: sessions.responseCount,
  rapidGuesses: sessions.rapidCount,
  result: sessions.result,
  pausedAt: sessions.pausedAt,
  pauseReason: sessions.pauseReason,
  pausedMs: sessions.pausedMs,
  extendedS: sessions.extendedS,
  voidedAt: sessions.voidedAt,
  voidReason: sessions.voidReason,
  // Written only from auth's events, whose flags are its closed list.
  accommodations: sql<AccommodationProfile | null>`${sessions.accommodations}`
}

/**
 * `db` reads and writes through drizzle; `run` runs the statements of the hot paths (an answer, an ending): the
 * pool's prepared runner, or a transaction's.
 */
export function createSessionsRepository (db: Executor, run: Run) {
  return {
    load: async (id: string, scope?: SessionScope): Promise<LoadedSession | undefined> => {
      const within = scope === undefined ? sql`` : 'studentId' in scope ? sql` and s.student_id = ${scope.studentId}` : sql` and s.organization_id = ${scope.organizationId}`
      const rows = await db.execute<Row>(sql`${sessionSelect} where s.id = ${id}${within}`)
      return rows[0] === undefined ? undefined : loaded(rows[0])
    },

    /** The student's session of the exam, if they have one. */
    loadOf: async (examId: string, studentId: string): Promise<LoadedSession | undefined> => {
      const rows = await db.execute<Row>(sql`${sessionSelect} where s.exam_id = ${examId} and s.student_id = ${studentId}`)
      return rows[0] === undefined ? undefined : loaded(rows[0])
    },

    /** An item's text, for an answer given again (what followed it is shown again). */
    itemText: async (itemId: string): Promise<ItemText | null> => {
      const [row] = await db.execute<{ shown: ItemText | null }>(sql`select ${textOf(itemId)} as shown`)
      return row?.shown ?? null
    },

    /** One page of the sessions in scope, of one exam if asked, in one query. */
    list: async (scope: SessionListScope, filter: PageRequest & { examId?: string }): Promise<Page<SessionView>> => {
      const limit = pageSize(filter)
      const conditions: SQL[] = []
      if ('studentId' in scope) conditions.push(eq(sessions.studentId, scope.studentId))
      else {
        conditions.push(eq(sessions.organizationId, scope.organizationId))
        if (scope.teacherId !== undefined) conditions.push(taughtBy(scope.teacherId, sql`${sessions.studentId}`))
      }
      if (filter.examId !== undefined) conditions.push(eq(sessions.examId, filter.examId))
      if (filter.cursor !== undefined) conditions.push(gt(sessions.id, filter.cursor))
      return toPage(await db.select(listColumns).from(sessions).where(and(...conditions)).orderBy(asc(sessions.id)).limit(limit + 1), limit)
    },

    /**
     * Claims up to `batch` sessions in progress past their deadline and reads them whole, in one statement. The
     * rows stay locked until the transaction ends and other replicas skip them (SKIP LOCKED), so replicas
     * running the expiry at once take different sessions. Inside a transaction (transaction()).
     */
    claimDue: async (now: Date, batch: number): Promise<LoadedSession[]> => {
      const rows = await db.execute<Row>(sql`with due as (
          select id from exam.sessions where status = 'in_progress' and deadline_at <= ${now.toISOString()}::timestamptz
          order by deadline_at limit ${batch} for update skip locked
        ) ${sessionSelect} where s.id in (select id from due)`)
      return rows.map(loaded)
    },

    /**
     * Writes a new session and its started event, and reads its first item's text; undefined when the student
     * already has one for the exam. Inside a transaction (transaction()).
     */
    insert: async (state: SessionState, started: Envelope, defaultThresholdMs: number): Promise<{ shown: ItemText | null, thresholdMs: number | null } | undefined> => {
      const inserted = await db.insert(sessions).values({
        id: state.id,
        examId: state.examId,
        organizationId: state.organizationId,
        studentId: state.studentId,
        status: state.status,
        seed: state.seed,
        theta: state.theta,
        se: state.se,
        currentItemId: state.currentItemId,
        currentServedAt: state.currentServedAt,
        currentThresholdMs: sql`${thresholdOf(state.currentItemId, defaultThresholdMs)}`,
        startedAt: state.startedAt,
        deadlineAt: state.deadlineAt,
        completedAt: state.completedAt,
        stopReason: state.stopReason,
        result: state.result,
        accommodations: state.accommodations,
        lastActivityAt: state.lastActivityAt,
        updatedAt: state.startedAt
      }).onConflictDoNothing({ target: [sessions.examId, sessions.studentId] }).returning({ shown: sql<ItemText | null>`${textOf(state.currentItemId)}`, thresholdMs: sessions.currentThresholdMs })
      if (inserted.length === 0) return undefined
      await db.insert(examOutbox).values(outboxRow(started, state.id))
      return inserted[0]!
    },

    /**
     * Records an answer, moves the session on and writes its events, in one statement: data-modifying CTEs run
     * once each, in one snapshot, and all or nothing; the next item's text comes back with it. Undefined, and
     * nothing written, when the session is not as the caller held it or the bank moved on since the version it
     * computed with (a change through another replica). The next item's rapid-guess threshold is read and kept
     * with the session as it is shown.
     */
    recordAnswer: async (write: AnswerWrite): Promise<{ shown: ItemText | null, thresholdMs: number | null } | undefined> => {
      const { before, response: r, after, now } = write
      const rows = await run<{ updated: number, shown: ItemText | null, thresholdMs: number | null }>(sql`
        with upd as (
          update exam.sessions set status = ${after.status}, theta = ${after.theta}, se = ${after.se}, response_count = response_count + 1,
            rapid_count = rapid_count + ${r.rapidGuess ? 1 : 0}::int, current_threshold_ms = ${thresholdOf(after.currentItemId, write.defaultThresholdMs)},
            items_answered = ${after.itemsAnswered}, correct_count = ${after.correctCount}, current_item_id = ${after.currentItemId},
            current_served_at = ${iso(after.currentServedAt)}::timestamptz, completed_at = ${iso(after.completedAt)}::timestamptz,
            stop_reason = ${after.stopReason}, result = ${after.result === null ? null : JSON.stringify(after.result)}::jsonb, updated_at = ${now.toISOString()}::timestamptz,
            last_activity_at = ${now.toISOString()}::timestamptz
          where id = ${before.id} and status = 'in_progress' and response_count = ${before.responseCount} and current_item_id = ${r.itemId}
            and (deadline_at is null or deadline_at > ${now.toISOString()}::timestamptz)
            and deadline_at is not distinct from ${iso(before.deadlineAt)}::timestamptz
            and ${bankVersionOf(before.organizationId)} = ${write.bankVersion}::bigint
          returning id, current_threshold_ms
        ), ins as (
          insert into exam.responses (session_id, position, item_id, option_index, answer, score, max_score, correct, pretest, theta_after, se_after, time_taken_ms, served_at, answered_at,
            rapid_guess, threshold_ms)
          select id, ${r.position}::int, ${r.itemId}::uuid, ${r.optionIndex}::smallint, ${r.answer === null ? null : JSON.stringify(r.answer)}::jsonb, ${r.score}::smallint, ${r.maxScore}::smallint,
            ${r.correct}::boolean, ${r.pretest}::boolean, ${r.thetaAfter}::float8,
            ${r.seAfter}::float8, ${r.timeTakenMs}::int,
            ${r.servedAt.toISOString()}::timestamptz, ${r.answeredAt.toISOString()}::timestamptz, ${r.rapidGuess}::boolean, ${r.thresholdMs}::int from upd
        ), ev as (
          insert into exam.outbox (id, type, version, aggregate_id, envelope) select v.* from upd, (values ${sql.join(write.events.map((e) => eventRow(e, before.id)), sql`, `)}) as v
        )
        select (select count(*) from upd)::int as updated, ${textOf(after.currentItemId)} as shown, (select current_threshold_ms from upd) as "thresholdMs"`)
      const [row] = rows
      return row!.updated === 1 ? { shown: row!.shown, thresholdMs: row!.thresholdMs } : undefined
    },

    /**
     * Ends sessions whose time is up (or whose resume window has passed), with their results and completed events,
     * in one statement; returns the ids of those ended. A session that had moved on meanwhile (an answer, a pause,
     * a resume, another ending) is left as it is.
     */
    complete: async (completions: Completion[], now: Date): Promise<string[]> => {
      const at = now.toISOString()
      const due = sql.join(completions.map((c) => sql`(${c.before.id}::uuid, ${c.before.status}::exam.session_status, ${c.before.responseCount}::int, ${c.stopReason}, ${JSON.stringify(c.result)}::jsonb)`), sql`, `)
      const events = sql.join(completions.map((c) => eventRow(c.completed, c.before.id)), sql`, `)
      const rows = await run<{ id: string }>(sql`
        with due (id, status, response_count, stop_reason, result) as (values ${due}), upd as (
          update exam.sessions s set status = 'completed', completed_at = ${at}::timestamptz, stop_reason = due.stop_reason, result = due.result, updated_at = ${at}::timestamptz,
            paused_at = null
          from due where s.id = due.id and s.status = due.status and s.response_count = due.response_count
          returning s.id
        ), ev as (${eventsOfUpdated(events)})
        select id from upd`)
      return rows.map((r) => r.id)
    }
  }
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>
