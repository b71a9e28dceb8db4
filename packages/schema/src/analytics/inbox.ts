// Events analytics has applied, by id, written in the same transaction as their change: a redelivered or
// replayed event finds its row and changes nothing twice.
import { text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsInbox = analytics.table('inbox', {
  eventId: uuid('event_id').primaryKey(),
  type: text('type').notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow()
})
