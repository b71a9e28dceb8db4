// Terms: named periods of an organization, set by its admins (kept by a rebuild), that a student's score per
// subject and term, growth between terms and percentile ranks are read over. A term is the half-open range
// [starts_at, ends_at); an organization's terms never overlap (checked by analytics under a lock on the
// organization, so no two writers can both pass the check).
import { sql } from 'drizzle-orm'
import { check, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsTerms = analytics.table('terms', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  name: text('name').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull()
}, (t) => [
  index('terms_organization_idx').on(t.organizationId, t.startsAt),
  uniqueIndex('terms_organization_name_idx').on(t.organizationId, t.name),
  check('terms_range', sql`${t.startsAt} < ${t.endsAt}`)
])
