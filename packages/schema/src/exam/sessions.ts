// A student's sitting of an exam: one per student and exam. It holds the running ability estimate and the
// item being shown, so an answer is checked and recorded by a single conditional statement.
import { sql } from 'drizzle-orm'
import { bigint, doublePrecision, index, integer, jsonb, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { exam, sessionStatus } from './schema.js'
import { exams } from './exams.js'
import type { AccommodationProfile } from '../shared/accommodations.js'

export type { AccommodationProfile }

export interface SessionResult {
  theta: number
  se: number
  itemsAnswered: number
  correctCount: number
  topics: Array<{ topic: string, answered: number, correct: number }>
  /**
   * Rapid guesses among the session's responses (pretest ones included), its response-time effort (the share
   * that are not; null without responses) and whether that was below EXAM_EFFORT_FLAG_BELOW when it ended.
   * Absent from results written before rapid guesses were judged.
   */
  rapidGuesses?: number
  effort?: number | null
  lowEffort?: boolean
  /** Per item type: items answered, full-credit answers, and score out of the most it could have been. */
  types?: Array<{ type: 'single' | 'multiple' | 'numeric' | 'text' | 'rating', answered: number, correct: number, score: number, maxScore: number }>
}

export const sessions = exam.table('sessions', {
  id: uuid('id').primaryKey(),
  examId: uuid('exam_id').notNull().references(() => exams.id),
  organizationId: uuid('organization_id').notNull(),
  studentId: uuid('student_id').notNull(),
  status: sessionStatus('status').notNull().default('in_progress'),
  /** Seeds the session's item choices (randomesque, Sympson-Hetter, pretest draws). */
  seed: integer('seed').notNull(),
  theta: doublePrecision('theta').notNull(),
  se: doublePrecision('se').notNull(),
  /** Responses recorded, pretest ones included: the position of the next one, and the row's version. */
  responseCount: integer('response_count').notNull().default(0),
  /** Scored (non-pretest) responses. */
  itemsAnswered: integer('items_answered').notNull().default(0),
  correctCount: integer('correct_count').notNull().default(0),
  currentItemId: uuid('current_item_id'),
  currentServedAt: timestamp('current_served_at', { withTimezone: true }),
  /** The rapid-guess threshold of the item being shown, fixed when it was shown (exam.item_timing, or the default). */
  currentThresholdMs: integer('current_threshold_ms'),
  /** Responses flagged as rapid guesses (pretest ones included): response-time effort is 1 − rapid_count / response_count. */
  rapidCount: integer('rapid_count').notNull().default(0),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  deadlineAt: timestamp('deadline_at', { withTimezone: true }),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  stopReason: text('stop_reason'),
  /** Last start, answer or resume: a session in progress idle past EXAM_SUSPEND_AFTER_S is suspended from here. */
  lastActivityAt: timestamp('last_activity_at', { withTimezone: true }).notNull().defaultNow(),
  /** While paused or suspended: when its clock stopped (a suspended session's last activity); null otherwise. */
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  /** Who paused it (null: the server suspended it) and why: student, teacher, admin or idle. */
  pausedBy: uuid('paused_by'),
  pauseReason: text('pause_reason'),
  /** Time spent paused or suspended, over every pause resumed so far (the deadline moved by as much). */
  pausedMs: bigint('paused_ms', { mode: 'number' }).notNull().default(0),
  /** Seconds a proctor added to the time limit, over every extension (the deadline moved by as much). */
  extendedS: integer('extended_s').notNull().default(0),
  /** Set when a proctor voided the session: it stays, scored, but counts in no analytics score. */
  voidedAt: timestamp('voided_at', { withTimezone: true }),
  voidedBy: uuid('voided_by'),
  voidReason: text('void_reason'),
  result: jsonb('result').$type<SessionResult>(),
  /**
   * The student's accommodation profile in force when the session started (the time limit was scaled by its
   * multiplier then); null without one. Copied, so a later change of the profile leaves the session as it is.
   */
  accommodations: jsonb('accommodations').$type<AccommodationProfile>(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [
  uniqueIndex('sessions_exam_student_key').on(t.examId, t.studentId),
  index('sessions_student_idx').on(t.studentId, t.id),
  index('sessions_exam_idx').on(t.examId, t.id),
  index('sessions_open_deadline_idx').on(t.deadlineAt).where(sql`status = 'in_progress' and deadline_at is not null`),
  // What the expiry job looks for: sessions in progress gone idle, and stopped ones past their resume window.
  // (paused_at, not the new statuses: a value added to an enum cannot be used in the migration that adds it.)
  index('sessions_idle_idx').on(t.lastActivityAt).where(sql`status = 'in_progress'`),
  index('sessions_stopped_idx').on(t.startedAt).where(sql`paused_at is not null`)
])
