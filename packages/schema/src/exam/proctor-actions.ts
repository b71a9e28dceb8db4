// What teachers and admins did to sessions as proctors (pause, resume, extend, end, void), each row written in
// the statement of the action itself: the audit a school shows when a result is questioned.
import { index, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'
import { sessions } from './sessions.js'

export const proctorActions = exam.table('proctor_actions', {
  id: uuid('id').primaryKey(),
  sessionId: uuid('session_id').notNull().references(() => sessions.id),
  organizationId: uuid('organization_id').notNull(),
  /** Who did it, and as what: teacher or admin. */
  actorId: uuid('actor_id').notNull(),
  actorRole: text('actor_role').notNull(),
  /** pause, resume, extend, end or void. */
  action: text('action').notNull(),
  /** What the action said and changed: seconds and the new deadline, a void's reason, the status before. */
  details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull()
}, (t) => [index('proctor_actions_session_idx').on(t.sessionId, t.at)])
