// Passages: a stimulus (a text, a table, a source) that several items share. Its items are given together and
// in their order, and a student sees the stimulus with each of them.
import { index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'

export const passages = exam.table('passages', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  authorId: uuid('author_id').notNull(),
  /** The author's own identifier, unique in the organization. */
  ref: text('ref'),
  title: text('title'),
  stimulus: text('stimulus').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('passages_organization_idx').on(t.organizationId, t.id), uniqueIndex('passages_organization_ref_key').on(t.organizationId, t.ref)])
