// Items as exam.item.changed describes them (latest changedAt wins). A response can arrive before the item's
// first event: it leaves a row with only the organization, filled in when the event comes. type, categories and
// irt are kept as the event carries them: null where it has none (an event from before item types, or a bare
// row), which means a single-choice item of two categories.
import { doublePrecision, index, integer, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { analytics } from './schema.js'

export interface ItemIrt { model: 'GRM' | 'GPCM' | 'PCM' | 'RSM', a?: number, b?: number[], lambda?: number, delta?: number[] }

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
  changedAt: timestamp('changed_at', { withTimezone: true }),
  /** single, multiple, numeric, text or rating; null: single. */
  type: text('type'),
  /** Score categories 0..categories-1; null: 2 (right/wrong). */
  categories: integer('categories'),
  /** A polytomous item's model and parameters as exam.item.changed carries them (a and b above then summarise it). */
  irt: jsonb('irt').$type<ItemIrt>()
}, (t) => [
  index('items_organization_idx').on(t.organizationId, t.id),
  index('items_organization_subject_idx').on(t.organizationId, t.subject, t.id)
])
