// Every change to an organization's items bumps its bank version in the same transaction; replicas compare it
// with the version of the bank they hold in memory and reload when it moved.
import { sql, type SQL } from 'drizzle-orm'
import { itemBankVersions } from '@dreamseed/schema/exam'
import type { Db, Tx } from './deps.js'

export async function bumpBankVersion (tx: Tx, organizationId: string, now: Date): Promise<void> {
  await tx.insert(itemBankVersions).values({ organizationId, version: 1, updatedAt: now })
    .onConflictDoUpdate({ target: itemBankVersions.organizationId, set: { version: sql`${itemBankVersions.version} + 1`, updatedAt: now } })
}

/**
 * The organization's bank version (0 before its first item) as a scalar subquery, so a request reads it in a
 * statement it runs anyway: one primary-key lookup more, no round trip more. Postgres returns it as text (bigint).
 */
export const bankVersionOf = (organizationId: SQL | string): SQL =>
  sql`coalesce((select v.version from exam.item_bank_versions v where v.organization_id = ${organizationId}), 0)`

/** The version alone, for a request that has no statement of its own to put it in. */
export async function readBankVersion (db: Db, organizationId: string): Promise<number> {
  const [row] = await db.execute<{ version: string }>(sql`select ${bankVersionOf(organizationId)} as version`)
  return Number(row!.version)
}
