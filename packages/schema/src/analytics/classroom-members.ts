// Classroom memberships (classroom.member.added/removed). A removal keeps the row with `removed` set, and
// `changedAt` decides which event is newer, so a late add cannot bring back a removed member and a removal
// that arrives before its add still wins.
import { boolean, index, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsClassroomMembers = analytics.table('classroom_members', {
  classroomId: uuid('classroom_id').notNull(),
  userId: uuid('user_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  role: text('role').notNull(),
  removed: boolean('removed').notNull().default(false),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull()
}, (t) => [primaryKey({ columns: [t.classroomId, t.userId] }), index('classroom_members_user_idx').on(t.userId, t.classroomId)])
