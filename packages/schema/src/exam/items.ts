// The item bank: multiple-choice questions with their answer key and IRT parameters, owned by an
// organization. The ranges are checked here too, so no path around the API can store an item the engine
// would refuse.
import { sql } from 'drizzle-orm'
import { check, doublePrecision, index, jsonb, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam, itemStatus } from './schema.js'

export const items = exam.table('items', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  authorId: uuid('author_id').notNull(),
  stem: text('stem').notNull(),
  options: jsonb('options').$type<string[]>().notNull(),
  correctIndex: smallint('correct_index').notNull(),
  subject: text('subject').notNull(),
  topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
  a: doublePrecision('a').notNull().default(1),
  b: doublePrecision('b').notNull(),
  c: doublePrecision('c').notNull().default(0),
  d: doublePrecision('d').notNull().default(1),
  status: itemStatus('status').notNull().default('draft'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [
  index('items_organization_idx').on(t.organizationId, t.id),
  index('items_organization_subject_idx').on(t.organizationId, t.subject, t.status),
  index('items_topics_idx').using('gin', t.topics),
  check('items_options_count', sql`jsonb_typeof(${t.options}) = 'array' and jsonb_array_length(${t.options}) between 2 and 6`),
  check('items_correct_index', sql`${t.correctIndex} >= 0 and ${t.correctIndex} < jsonb_array_length(${t.options})`),
  check('items_a_range', sql`${t.a} > 0 and ${t.a} <= 5`),
  check('items_b_range', sql`${t.b} >= -6 and ${t.b} <= 6`),
  check('items_c_range', sql`${t.c} >= 0 and ${t.c} < 0.5`),
  check('items_d_range', sql`${t.d} > 0.5 and ${t.d} <= 1 and ${t.c} < ${t.d}`)
])
