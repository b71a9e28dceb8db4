// The transactional outbox's shape, one table per producing service's schema (auth.outbox, exam.outbox):
// a row is written in the same transaction as the change it announces and published later by the relay.
import { integer, jsonb, text, timestamp, uuid, index, type PgSchema } from 'drizzle-orm/pg-core'
import { sql } from 'drizzle-orm'

export function outboxTable (schema: PgSchema<string>) {
  return schema.table('outbox', {
    id: uuid('id').primaryKey(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    /** The aggregate the event is about (e.g. the user id): the relay keeps events of one aggregate in order. */
    aggregateId: text('aggregate_id').notNull(),
    envelope: jsonb('envelope').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error')
  }, (t) => [
    index('outbox_unpublished_idx').on(t.id).where(sql`${t.publishedAt} is null`)
  ])
}
