// Every recorded answer (exam.response.recorded): the facts item statistics, student activity and online
// calibration are computed from.
import { boolean, date, doublePrecision, index, integer, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsResponses = analytics.table('responses', {
  sessionId: uuid('session_id').notNull(),
  position: integer('position').notNull(),
  itemId: uuid('item_id').notNull(),
  examId: uuid('exam_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  studentId: uuid('student_id').notNull(),
  /** Full credit (for a partial-credit or rating item: the highest category). */
  correct: boolean('correct').notNull(),
  pretest: boolean('pretest').notNull(),
  thetaAfter: doublePrecision('theta_after').notNull(),
  seAfter: doublePrecision('se_after').notNull(),
  timeTakenMs: integer('time_taken_ms'),
  /** exam flagged it a rapid guess; null for an event from before exam judged them. */
  rapidGuess: boolean('rapid_guess'),
  answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
  /** The UTC day of answeredAt, for daily activity. */
  answeredOn: date('answered_on', { mode: 'string' }).notNull(),
  /** The score category 0..maxScore; an event without one (before item types) scored correct ? 1 : 0. */
  score: integer('score').notNull(),
  /** The item's highest category; 1 for an event without one. */
  maxScore: integer('max_score').notNull()
}, (t) => [
  primaryKey({ columns: [t.sessionId, t.position] }),
  index('responses_item_idx').on(t.itemId, t.pretest, t.sessionId),
  index('responses_item_exam_idx').on(t.itemId, t.examId),
  index('responses_student_day_idx').on(t.studentId, t.answeredOn)
])
