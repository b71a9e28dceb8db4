// Promotions of calibrated pretest items, decided here (not derived from events): the id is the id of the
// analytics.item.promoted event written beside it to the outbox. A rebuild keeps this table.
import { doublePrecision, index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export const itemPromotions = analytics.table('item_promotions', {
  id: uuid('id').primaryKey(),
  itemId: uuid('item_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  model: text('model').notNull(),
  a: doublePrecision('a').notNull(),
  b: doublePrecision('b').notNull(),
  c: doublePrecision('c').notNull(),
  seA: doublePrecision('se_a'),
  seB: doublePrecision('se_b'),
  seC: doublePrecision('se_c'),
  sampleSize: integer('sample_size').notNull(),
  promotedBy: uuid('promoted_by').notNull(),
  promotedAt: timestamp('promoted_at', { withTimezone: true }).notNull()
}, (t) => [index('item_promotions_item_idx').on(t.itemId, t.promotedAt)])
