// Relations between exam's tables, for drizzle's relational queries.
import { relations } from 'drizzle-orm'
import { exams } from './exams.js'
import { assignments } from './assignments.js'
import { sessions } from './sessions.js'
import { responses } from './responses.js'
import { classrooms } from './classrooms.js'
import { classroomMembers } from './classroom-members.js'

export const examsRelations = relations(exams, ({ many }) => ({ assignments: many(assignments), sessions: many(sessions) }))
export const assignmentsRelations = relations(assignments, ({ one }) => ({
  exam: one(exams, { fields: [assignments.examId], references: [exams.id] })
}))
export const sessionsRelations = relations(sessions, ({ one, many }) => ({
  exam: one(exams, { fields: [sessions.examId], references: [exams.id] }),
  responses: many(responses)
}))
export const responsesRelations = relations(responses, ({ one }) => ({
  session: one(sessions, { fields: [responses.sessionId], references: [sessions.id] })
}))
export const classroomsRelations = relations(classrooms, ({ many }) => ({ members: many(classroomMembers) }))
export const classroomMembersRelations = relations(classroomMembers, ({ one }) => ({
  classroom: one(classrooms, { fields: [classroomMembers.classroomId], references: [classrooms.id] })
}))
