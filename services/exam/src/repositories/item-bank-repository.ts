// An organization's item bank as choosing and scoring read it, and its version. Every change to an
// organization's items bumps the version in the same transaction; replicas compare it with the version of the
// bank they hold in memory (bank-cache.ts) and read the bank again when it moved.
import { eq, sql, type SQL } from 'drizzle-orm'
import { itemBankVersions, items } from '@dreamseed/schema/exam'
import type { BankItem, OrganizationBank } from '../domain/model.js'
import type { Executor } from '@dreamseed/kit'

/**
 * The organization's bank version (0 before its first item) as a scalar subquery, so a request reads it in a
 * statement it runs anyway: one primary-key lookup more, no round trip more. Postgres returns it as text (bigint).
 */
export const bankVersionOf = (organizationId: SQL | string): SQL =>
  sql`coalesce((select v.version from exam.item_bank_versions v where v.organization_id = ${organizationId}), 0)`

/** Run in the transaction that changes the organization's items. */
export async function bumpBankVersion (tx: Executor, organizationId: string, now: Date): Promise<void> {
  await tx.insert(itemBankVersions).values({ organizationId, version: 1, updatedAt: now })
    .onConflictDoUpdate({ target: itemBankVersions.organizationId, set: { version: sql`${itemBankVersions.version} + 1`, updatedAt: now } })
}

export function createItemBankRepository (db: Executor) {
  return {
    /** The version alone, for a request that has no statement of its own to put it in. */
    version: async (organizationId: string): Promise<number> => {
      const [row] = await db.execute<{ version: string }>(sql`select ${bankVersionOf(organizationId)} as version`)
      return Number(row!.version)
    },

    // The version is read before the items, so a bank is never older than the version it carries (at worst a
    // change committed between the two reads makes it look stale and it is read again).
    load: async (organizationId: string): Promise<OrganizationBank> => {
      const [row] = await db.select({ version: itemBankVersions.version }).from(itemBankVersions).where(eq(itemBankVersions.organizationId, organizationId))
      const rows: BankItem[] = await db.select({
        id: items.id, type: items.type, subject: items.subject, topics: items.topics, a: items.a, b: items.b, c: items.c, d: items.d, irt: items.irt, status: items.status,
        correctIndex: items.correctIndex, key: items.key, optionCount: sql<number>`jsonb_array_length(${items.options})::int`,
        passageId: items.passageId, passagePosition: items.passagePosition, enemyIds: items.enemyIds
      }).from(items).where(eq(items.organizationId, organizationId)).orderBy(items.id)
      return { organizationId, version: row?.version ?? 0, items: new Map(rows.map((r) => [r.id, r])), pools: new Map() }
    }
  }
}

export type ItemBankRepository = ReturnType<typeof createItemBankRepository>
