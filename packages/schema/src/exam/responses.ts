// Every answer of a session, in order, with the ability estimate and its standard error after it and the
// time it took. One per (session, item): an answer sent twice is recognised, not recorded twice.
import { boolean, doublePrecision, integer, jsonb, primaryKey, smallint, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'
import { sessions } from './sessions.js'

/** What a student gave to an item other than single and rating. */
export type ItemAnswer = { choices: number[] } | { value: number } | { text: string }

export const responses = exam.table('responses', {
  sessionId: uuid('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  itemId: uuid('item_id').notNull(),
  /** single and rating items: the option chosen. */
  optionIndex: smallint('option_index'),
  /** multiple, numeric and text items: the answer as given ({ choices } | { value } | { text }). */
  answer: jsonb('answer').$type<ItemAnswer>(),
  /** The score category (0..max_score); correct is full credit. */
  score: smallint('score').notNull(),
  maxScore: smallint('max_score').notNull().default(1),
  correct: boolean('correct').notNull(),
  /** A pretest item is recorded for calibration but neither scored nor counted by the stopping rule. */
  pretest: boolean('pretest').notNull().default(false),
  thetaAfter: doublePrecision('theta_after').notNull(),
  seAfter: doublePrecision('se_after').notNull(),
  /** As the client measured it, when it says (shown, never trusted: rapid guesses are judged on the server's times). */
  timeTakenMs: integer('time_taken_ms'),
  /**
   * A rapid guess: answered (answered_at − served_at, the server's clock, pauses taken out) faster than
   * threshold_ms, the item's threshold when it was shown (exam.item_timing, or the default). Null threshold:
   * recorded before rapid guesses were judged.
   */
  rapidGuess: boolean('rapid_guess').notNull().default(false),
  thresholdMs: integer('threshold_ms'),
  servedAt: timestamp('served_at', { withTimezone: true }).notNull(),
  answeredAt: timestamp('answered_at', { withTimezone: true }).notNull()
}, (t) => [primaryKey({ columns: [t.sessionId, t.position] }), uniqueIndex('responses_session_item_key').on(t.sessionId, t.itemId)])
