// Events exam has applied, by id: a redelivered event finds its row and changes nothing twice.
import { text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'

export const inbox = exam.table('inbox', {
  eventId: uuid('event_id').primaryKey(),
  type: text('type').notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow()
})
