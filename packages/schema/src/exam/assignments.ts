// Which classrooms an exam is assigned to: their members may take it.
import { index, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'
import { exams } from './exams.js'

export const assignments = exam.table('assignments', {
  examId: uuid('exam_id').notNull().references(() => exams.id, { onDelete: 'cascade' }),
  classroomId: uuid('classroom_id').notNull(),
  assignedBy: uuid('assigned_by').notNull(),
  assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [primaryKey({ columns: [t.examId, t.classroomId] }), index('assignments_classroom_idx').on(t.classroomId)])
