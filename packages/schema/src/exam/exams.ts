// Exams: a fixed form (an ordered list of items) or an adaptive test (a pool, an estimator, exposure
// control, content targets and a stopping rule), owned by an organization.
import { sql } from 'drizzle-orm'
import { index, jsonb, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam, examKind } from './schema.js'

export interface ExamSettings {
  estimator: 'EAP' | 'MAP' | 'MLE' | 'WLE'
  startTheta: number
  randomesque: number
  /** Sympson-Hetter K per item id; items not listed have K = 1. */
  sympsonHetter?: Record<string, number>
  contentTargets?: Record<string, number>
  pretestRate: number
  /** Whether rapid guesses count toward the ability estimate ('count', and absent: they do) or are left out of it. */
  rapidGuesses?: 'count' | 'exclude'
}

export interface ExamStopping {
  minItems: number
  maxItems: number
  seTarget?: number
  timeLimitSeconds?: number
}

export const exams = exam.table('exams', {
  id: uuid('id').primaryKey(),
  organizationId: uuid('organization_id').notNull(),
  createdBy: uuid('created_by').notNull(),
  title: text('title').notNull(),
  kind: examKind('kind').notNull(),
  /** Adaptive pool: items of this subject ... */
  subject: text('subject'),
  /** ... having at least one of these topics (all topics when empty). */
  topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
  /** Fixed form: the items in order. */
  itemIds: uuid('item_ids').array().notNull().default(sql`'{}'::uuid[]`),
  settings: jsonb('settings').$type<ExamSettings>().notNull(),
  stopping: jsonb('stopping').$type<ExamStopping>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('exams_organization_idx').on(t.organizationId, t.id)])
