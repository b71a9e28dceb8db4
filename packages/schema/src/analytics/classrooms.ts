// Classrooms (classroom.created): their organization and teacher decide who may read their summary.
import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsClassrooms = analytics.table('classrooms', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  teacherId: uuid('teacher_id').notNull(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull()
}, (t) => [index('classrooms_organization_idx').on(t.organizationId, t.id), index('classrooms_teacher_idx').on(t.teacherId)])
