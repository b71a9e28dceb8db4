// Sessions, assembled from exam.session.started, exam.response.recorded (which leaves a row with the ids
// when it comes first) and exam.session.completed (the result). Each event fills its own columns.
import { boolean, doublePrecision, index, integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'
import type { AccommodationProfile } from '../shared/accommodations.js'

export type { AccommodationProfile }

export interface SessionTypeResult { type: string, answered: number, correct: number, score: number, maxScore: number }

export const analyticsSessions = analytics.table('sessions', {
  id: uuid('id').primaryKey(),
  examId: uuid('exam_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  studentId: uuid('student_id').notNull(),
  examKind: text('exam_kind'),
  startedAt: timestamp('started_at', { withTimezone: true }),
  /** Set by exam.session.completed, with the columns below. */
  completedAt: timestamp('completed_at', { withTimezone: true }),
  subject: text('subject'),
  reason: text('reason'),
  theta: doublePrecision('theta'),
  se: doublePrecision('se'),
  itemsAnswered: integer('items_answered'),
  correctCount: integer('correct_count'),
  /**
   * Per item type: answered, full credit, score and the most it could have been, as exam.session.completed
   * carries it; null where the event has none (a session from before item types, all of whose items were single).
   */
  types: jsonb('types').$type<SessionTypeResult[]>(),
  /**
   * From exam.session.completed: rapid guesses among its responses, its response-time effort (the share that
   * are not) and whether exam flagged it low; null for an event from before exam judged them.
   */
  rapidGuesses: integer('rapid_guesses'),
  effort: doublePrecision('effort'),
  lowEffort: boolean('low_effort'),
  /**
   * Set by exam.session.voided: the session stays as a row, but counts in no score, report, chart or
   * calibration (its responses are not kept, whichever of its events came first).
   */
  voided: boolean('voided').notNull().default(false),
  voidedAt: timestamp('voided_at', { withTimezone: true }),
  voidReason: text('void_reason'),
  /** Set by exam.session.extended: seconds added to its time limit over every extension, and the deadline of the latest. */
  extensionS: integer('extension_s').notNull().default(0),
  deadlineAt: timestamp('deadline_at', { withTimezone: true }),
  extendedAt: timestamp('extended_at', { withTimezone: true }),
  /** The accommodation profile the session ran with, from its started or completed event; null: none (or not known yet). */
  accommodations: jsonb('accommodations').$type<AccommodationProfile>()
}, (t) => [
  index('sessions_student_subject_idx').on(t.studentId, t.subject, t.completedAt),
  index('sessions_exam_idx').on(t.examId, t.completedAt),
  index('sessions_organization_idx').on(t.organizationId)
])
