// The item bank: questions of five types with their answer key and IRT parameters, owned by an organization.
// The ranges and the shape each type needs are checked here too, so no path around the API can store an
// item the engine would refuse.
import { sql } from 'drizzle-orm'
import { check, doublePrecision, index, integer, jsonb, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { exam, itemStatus, itemType } from './schema.js'
import { passages } from './passages.js'

/** The key of a type other than single (single keeps its key in correct_index). */
export type ItemKey =
  | { correctIndices: number[], scoring: 'partial' | 'all-or-nothing' }
  | { value: number, tolerance: number }
  | { values: number[] }
  | { accepted: string[] }

/** A polytomous item's model and parameters, in catR's layout (packages/irt: logistic metric, D = 1). */
export type PolytomousParameters =
  | { model: 'GRM', a: number, b: number[] }
  | { model: 'GPCM', a: number, delta: number[] }
  | { model: 'PCM', delta: number[] }
  | { model: 'RSM', lambda: number, delta: number[] }

export const items = exam.table('items', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  authorId: uuid('author_id').notNull(),
  type: itemType('type').notNull().default('single'),
  /** The author's own identifier (a QTI identifier, an import's reference), unique in the organization. */
  ref: text('ref'),
  stem: text('stem').notNull(),
  /** Choices of single, multiple and rating items; empty for numeric and text. */
  options: jsonb('options').$type<string[]>().notNull(),
  /** single only. */
  correctIndex: smallint('correct_index'),
  /** multiple, numeric and text. */
  key: jsonb('key').$type<ItemKey>(),
  subject: text('subject').notNull(),
  topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
  a: doublePrecision('a').notNull().default(1),
  b: doublePrecision('b').notNull(),
  c: doublePrecision('c').notNull().default(0),
  d: doublePrecision('d').notNull().default(1),
  /** Polytomous items: the model and its parameters; a and b then summarise them (discrimination, mean location). */
  irt: jsonb('irt').$type<PolytomousParameters>(),
  /** The passage the item belongs to, and its place among the passage's items. */
  passageId: uuid('passage_id').references(() => passages.id),
  passagePosition: integer('passage_position'),
  /** Items never given in one session with this one (kept on both items). */
  enemyIds: uuid('enemy_ids').array().notNull().default(sql`'{}'::uuid[]`),
  status: itemStatus('status').notNull().default('draft'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [
  index('items_organization_idx').on(t.organizationId, t.id),
  index('items_organization_subject_idx').on(t.organizationId, t.subject, t.status),
  index('items_topics_idx').using('gin', t.topics),
  uniqueIndex('items_organization_ref_key').on(t.organizationId, t.ref),
  index('items_passage_idx').on(t.passageId, t.passagePosition),
  check('items_options_count', sql`jsonb_typeof(${t.options}) = 'array' and case when ${t.type} in ('numeric', 'text') then jsonb_array_length(${t.options}) = 0 else jsonb_array_length(${t.options}) between 2 and 10 end`),
  check('items_correct_index', sql`case when ${t.type} = 'single' then ${t.correctIndex} is not null and ${t.correctIndex} >= 0 and ${t.correctIndex} < jsonb_array_length(${t.options}) else ${t.correctIndex} is null end`),
  check('items_key', sql`case when ${t.type} in ('multiple', 'numeric', 'text') then ${t.key} is not null and jsonb_typeof(${t.key}) = 'object' else ${t.key} is null end`),
  check('items_irt', sql`${t.irt} is null or (${t.type} in ('multiple', 'rating') and jsonb_typeof(${t.irt}) = 'object')`),
  check('items_passage', sql`(${t.passageId} is null) = (${t.passagePosition} is null)`),
  check('items_a_range', sql`${t.a} > 0 and ${t.a} <= 5`),
  check('items_b_range', sql`${t.b} >= -6 and ${t.b} <= 6`),
  check('items_c_range', sql`${t.c} >= 0 and ${t.c} < 0.5`),
  check('items_d_range', sql`${t.d} > 0.5 and ${t.d} <= 1 and ${t.c} < ${t.d}`)
])
