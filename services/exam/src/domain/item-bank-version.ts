// Every change to an organization's items bumps its bank version in the same transaction; replicas compare it
// with the version of the bank they hold in memory and reload when it moved.
import { sql } from 'drizzle-orm'
import { itemBankVersions } from '@dreamseed/schema/exam'
import type { Tx } from './deps.js'

export async function bumpBankVersion (tx: Tx, organizationId: string, now: Date): Promise<void> {
  await tx.insert(itemBankVersions).values({ organizationId, version: 1, updatedAt: now })
    .onConflictDoUpdate({ target: itemBankVersions.organizationId, set: { version: sql`${itemBankVersions.version} + 1`, updatedAt: now } })
}
