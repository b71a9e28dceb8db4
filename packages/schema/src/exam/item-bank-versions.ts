// One counter per organization, bumped in every transaction that changes its items: each replica keeps the
// bank in memory and learns from this number (read in the same statement as an answer) that it is stale.
import { bigint, timestamp, uuid } from 'drizzle-orm/pg-core'
import { exam } from './schema.js'

export const itemBankVersions = exam.table('item_bank_versions', {
  organizationId: uuid('organization_id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
})
