// Every answer of a session, in order, with the ability estimate and its standard error after it and the
// time it took. One per (session, item): an answer sent twice is recognised, not recorded twice.
import { boolean, doublePrecision, integer, primaryKey, smallint, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'
import { sessions } from './sessions.js'

export const responses = exam.table('responses', {
  sessionId: uuid('session_id').notNull().references(() => sessions.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  itemId: uuid('item_id').notNull(),
  optionIndex: smallint('option_index').notNull(),
  correct: boolean('correct').notNull(),
  /** A pretest item is recorded for calibration but neither scored nor counted by the stopping rule. */
  pretest: boolean('pretest').notNull().default(false),
  thetaAfter: doublePrecision('theta_after').notNull(),
  seAfter: doublePrecision('se_after').notNull(),
  /** As the client measured it, when it says. */
  timeTakenMs: integer('time_taken_ms'),
  servedAt: timestamp('served_at', { withTimezone: true }).notNull(),
  answeredAt: timestamp('answered_at', { withTimezone: true }).notNull()
}, (t) => [primaryKey({ columns: [t.sessionId, t.position] }), uniqueIndex('responses_session_item_key').on(t.sessionId, t.itemId)])
