// Each item's typical response time and its rapid-guess threshold, from the responses of completed sessions
// (not voided), refreshed by a job of every replica (one at a time: an advisory lock). A session reads an
// item's threshold when it shows the item, in the statement that shows it, and keeps it with the response.
import { doublePrecision, integer, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'

export const itemTiming = exam.table('item_timing', {
  itemId: uuid('item_id').primaryKey(),
  /** Responses the median is taken over. */
  responses: integer('responses').notNull(),
  /** Median of answered_at − served_at, in milliseconds. */
  medianMs: doublePrecision('median_ms').notNull(),
  /** EXAM_RAPID_GUESS_SHARE of the median within the floor and the cap; null below EXAM_RAPID_GUESS_MIN_RESPONSES (the default applies). */
  thresholdMs: integer('threshold_ms'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
})
