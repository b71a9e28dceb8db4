// exam's read model of auth's classrooms (from classroom.created): which organization a classroom belongs
// to, so an exam is only assigned within its own organization.
import { index, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'

export const classrooms = exam.table('classrooms', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  teacherId: uuid('teacher_id').notNull(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull()
}, (t) => [index('classrooms_organization_idx').on(t.organizationId)])
