// exam's read model of students' accommodation profiles (from user.accommodations.changed): the profile in
// force is copied onto a session when it starts. A cleared profile leaves the row with `cleared` set instead
// of deleting it, so an older change that arrives late is recognised by `changedAt` and cannot bring it back.
import { boolean, doublePrecision, integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'

export const accommodations = exam.table('accommodations', {
  organizationId: uuid('organization_id').notNull(),
  userId: uuid('user_id').notNull(),
  timeMultiplier: doublePrecision('time_multiplier').notNull(),
  extraBreaks: integer('extra_breaks').notNull(),
  flags: text('flags').array().notNull(),
  cleared: boolean('cleared').notNull().default(false),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull()
}, (t) => [primaryKey({ columns: [t.organizationId, t.userId] })])
