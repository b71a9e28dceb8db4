// Reporting scales, set by an organization's admins (decisions, not derived from events, so a rebuild keeps
// them): per subject a linear transformation of θ, score = intercept + slope·θ, rounded to `decimals` and
// held within [min, max] where they are set (analytics' README: scale scores).
import { sql } from 'drizzle-orm'
import { check, doublePrecision, integer, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsScales = analytics.table('scales', {
  organizationId: uuid('organization_id').notNull(),
  subject: text('subject').notNull(),
  slope: doublePrecision('slope').notNull(),
  intercept: doublePrecision('intercept').notNull(),
  decimals: integer('decimals').notNull(),
  min: doublePrecision('min'),
  max: doublePrecision('max'),
  updatedBy: uuid('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull()
}, (t) => [
  primaryKey({ columns: [t.organizationId, t.subject] }),
  check('scales_slope', sql`${t.slope} <> 0`),
  check('scales_decimals', sql`${t.decimals} between 0 and 3`),
  check('scales_bounds', sql`${t.min} is null or ${t.max} is null or ${t.min} < ${t.max}`)
])
