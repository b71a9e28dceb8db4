// exam's read model of classroom memberships (from classroom.member.added/removed). A removal leaves the row
// with `removed` set instead of deleting it, so an event that arrives late (an older add after a removal)
// is recognised by `changedAt` and cannot bring a member back.
import { boolean, index, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'

export const classroomMembers = exam.table('classroom_members', {
  classroomId: uuid('classroom_id').notNull(),
  userId: uuid('user_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  removed: boolean('removed').notNull().default(false),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull()
}, (t) => [primaryKey({ columns: [t.classroomId, t.userId] }), index('classroom_members_user_idx').on(t.userId)])
