// Items as exam.item.changed describes them (latest changedAt wins). A response can arrive before the item's
// first event: it leaves a row with only the organization, filled in when the event comes.
import { doublePrecision, index, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const analyticsItems = analytics.table('items', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  subject: text('subject'),
  topics: text('topics').array(),
  status: text('status'),
  a: doublePrecision('a'),
  b: doublePrecision('b'),
  c: doublePrecision('c'),
  d: doublePrecision('d'),
  changedAt: timestamp('changed_at', { withTimezone: true })
}, (t) => [
  index('items_organization_idx').on(t.organizationId, t.id),
  index('items_organization_subject_idx').on(t.organizationId, t.subject, t.id)
])
