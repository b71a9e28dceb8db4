// Schools. Every teacher, classroom and (once they join a classroom) student belongs to one.
import { text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { auth } from './schema.js'

export const organizations = auth.table('organizations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
})
