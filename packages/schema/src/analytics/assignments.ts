// Which exams are assigned to which classrooms (exam.assignment.changed, latest changedAt wins; a withdrawal
// keeps the row with assigned = false).
import { boolean, index, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsAssignments = analytics.table('assignments', {
  classroomId: uuid('classroom_id').notNull(),
  examId: uuid('exam_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  assigned: boolean('assigned').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull()
}, (t) => [primaryKey({ columns: [t.classroomId, t.examId] }), index('assignments_exam_idx').on(t.examId)])
