// A student's accommodation profile in an organization, set by an admin or a teacher of one of the student's
// classrooms: extended time as a multiplier of an exam's time limit, extra breaks, and flags from a closed list
// (packages/events, user/accommodations.ts). No row: no accommodations.
import { sql } from 'drizzle-orm'
import { check, doublePrecision, integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { auth } from './schema.js'
import { organizations } from './organizations.js'
import { users } from './users.js'

export const accommodations = auth.table('accommodations', {
  organizationId: uuid('organization_id').notNull().references(() => organizations.id),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  timeMultiplier: doublePrecision('time_multiplier').notNull(),
  extraBreaks: integer('extra_breaks').notNull(),
  flags: text('flags').array().notNull(),
  updatedBy: uuid('updated_by').notNull().references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
}, (t) => [
  primaryKey({ columns: [t.organizationId, t.userId] }),
  check('accommodations_time_multiplier', sql`${t.timeMultiplier} between 1 and 4`),
  check('accommodations_extra_breaks', sql`${t.extraBreaks} between 0 and 10`)
])
