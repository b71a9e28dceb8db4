// Classrooms: created by a teacher in their organization; students join with the join code.
import { text, timestamp, uuid, uniqueIndex, index, primaryKey } from 'drizzle-orm/pg-core'
import { auth } from './schema.js'
import { organizations } from './organizations.js'
import { users } from './users.js'

export const classrooms = auth.table('classrooms', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull().references(() => organizations.id),
  teacherId: uuid('teacher_id').notNull().references(() => users.id),
  name: text('name').notNull(),
  joinCode: text('join_code').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  archivedAt: timestamp('archived_at', { withTimezone: true })
}, (t) => [
  uniqueIndex('classrooms_join_code_key').on(t.joinCode),
  index('classrooms_organization_idx').on(t.organizationId, t.id),
  index('classrooms_teacher_idx').on(t.teacherId)
])

export const classroomMembers = auth.table('classroom_members', {
  classroomId: uuid('classroom_id').notNull().references(() => classrooms.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  joinedAt: timestamp('joined_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [primaryKey({ columns: [t.classroomId, t.userId] }), index('classroom_members_user_idx').on(t.userId)])
