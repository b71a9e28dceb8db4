// Exams as their events describe them: the organization from any session or assignment, the title, kind and
// subject from exam.assignment.changed (latest changedAt wins).
import { text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsExams = analytics.table('exams', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  title: text('title'),
  kind: text('kind'),
  subject: text('subject'),
  changedAt: timestamp('changed_at', { withTimezone: true })
})
