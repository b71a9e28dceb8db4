// Relations between auth's tables, for drizzle's relational queries.
import { relations } from 'drizzle-orm'
import { users } from './users.js'
import { organizations } from './organizations.js'
import { verificationTokens } from './verification-tokens.js'
import { passwordResetTokens } from './password-reset-tokens.js'
import { sessions } from './sessions.js'
import { classrooms, classroomMembers } from './classrooms.js'

export const organizationsRelations = relations(organizations, ({ many }) => ({ users: many(users), classrooms: many(classrooms) }))
export const usersRelations = relations(users, ({ one, many }) => ({
  organization: one(organizations, { fields: [users.organizationId], references: [organizations.id] }),
  verificationTokens: many(verificationTokens),
  passwordResetTokens: many(passwordResetTokens),
  sessions: many(sessions),
  memberships: many(classroomMembers)
}))
export const verificationTokensRelations = relations(verificationTokens, ({ one }) => ({
  user: one(users, { fields: [verificationTokens.userId], references: [users.id] })
}))
export const passwordResetTokensRelations = relations(passwordResetTokens, ({ one }) => ({
  user: one(users, { fields: [passwordResetTokens.userId], references: [users.id] })
}))
export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] })
}))
export const classroomsRelations = relations(classrooms, ({ one, many }) => ({
  organization: one(organizations, { fields: [classrooms.organizationId], references: [organizations.id] }),
  teacher: one(users, { fields: [classrooms.teacherId], references: [users.id] }),
  members: many(classroomMembers)
}))
export const classroomMembersRelations = relations(classroomMembers, ({ one }) => ({
  classroom: one(classrooms, { fields: [classroomMembers.classroomId], references: [classrooms.id] }),
  user: one(users, { fields: [classroomMembers.userId], references: [users.id] })
}))
