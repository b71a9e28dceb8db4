// The delivery ledger. A delivery is claimed (status sending) in one statement that also creates it, so two
// workers never send the same mail at once; a claim left by a crashed worker expires after the lease. The two
// statements every mail runs (the claim, the mark as sent) are prepared: one round trip each instead of two
// (the kit's runPrepared says why).
import { and, eq, gt, ne, sql } from 'drizzle-orm'
import { emailDeliveries } from '@dreamseed/schema/notification'
import { newEventId } from '@dreamseed/events'
import type { Db } from '@dreamseed/kit'

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed'

export interface DeliveryKey {
  eventId: string
  template: string
}

export type ClaimRequest = DeliveryKey & { recipient: string, messageId: string, leaseMs: number }
export type ClaimResult = { claimed: true, attempts: number } | { claimed: false, status: DeliveryStatus }

/** The database or a transaction in it: a claim runs alone or inside claimUnlessRecent's transaction. */
type Queries = Pick<Db, 'insert' | 'select'>

export function createEmailDeliveriesRepository (db: Db) {
  const where = (key: DeliveryKey) => and(eq(emailDeliveries.eventId, key.eventId), eq(emailDeliveries.template, key.template))
  async function claimIn (db: Queries, key: ClaimRequest): Promise<ClaimResult> {
    const claimed = await db.insert(emailDeliveries)
      .values({ id: newEventId(), eventId: key.eventId, template: key.template, recipient: key.recipient, messageId: key.messageId, status: 'sending', attempts: 1 })
      .onConflictDoUpdate({
        target: [emailDeliveries.eventId, emailDeliveries.template],
        set: { status: 'sending', attempts: sql`${emailDeliveries.attempts} + 1`, updatedAt: sql`now()` },
        setWhere: sql`${emailDeliveries.status} in ('pending', 'failed') or (${emailDeliveries.status} = 'sending' and ${emailDeliveries.updatedAt} < now() - make_interval(secs => ${key.leaseMs / 1000}))`
      })
      .returning({ attempts: emailDeliveries.attempts })
      .prepare('notification_delivery_claim').execute()
    if (claimed[0] !== undefined) return { claimed: true, attempts: claimed[0].attempts }
    const [row] = await db.select({ status: emailDeliveries.status }).from(emailDeliveries).where(where(key))
    return { claimed: false, status: row?.status ?? 'pending' }
  }
  return {
    async claim (key: ClaimRequest): Promise<ClaimResult> {
      return await claimIn(db, key)
    },
    /**
     * Claims like `claim`, unless another event's mail of the same template to the same recipient was claimed
     * within `intervalMs` and has not failed: then nothing is written and the answer is `recent`. Claims for one
     * recipient and template are serialized (an advisory lock for the transaction), so two workers, in one
     * replica or two, cannot both find no recent mail and both send.
     */
    async claimUnlessRecent (key: ClaimRequest & { intervalMs: number }): Promise<ClaimResult | { claimed: false, recent: true }> {
      return await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`notification.${key.template}:${key.recipient}`}))`)
        const [recent] = await tx.select({ id: emailDeliveries.id }).from(emailDeliveries).where(and(
          eq(emailDeliveries.template, key.template),
          eq(emailDeliveries.recipient, key.recipient),
          ne(emailDeliveries.eventId, key.eventId),
          ne(emailDeliveries.status, 'failed'),
          gt(emailDeliveries.createdAt, sql`now() - make_interval(secs => ${key.intervalMs / 1000})`)
        )).limit(1)
        if (recent !== undefined) return { claimed: false as const, recent: true as const }
        return await claimIn(tx, key)
      })
    },
    async markSent (key: DeliveryKey): Promise<void> {
      await db.update(emailDeliveries).set({ status: 'sent', sentAt: sql`now()`, updatedAt: sql`now()`, lastError: null }).where(where(key)).prepare('notification_delivery_sent').execute()
    },
    async markPending (key: DeliveryKey, error: string): Promise<void> {
      await db.update(emailDeliveries).set({ status: 'pending', lastError: error.slice(0, 1000), updatedAt: sql`now()` }).where(where(key))
    },
    async markFailed (key: DeliveryKey, error: string): Promise<void> {
      await db.update(emailDeliveries).set({ status: 'failed', lastError: error.slice(0, 1000), updatedAt: sql`now()` }).where(where(key))
    }
  }
}

export type EmailDeliveriesRepository = ReturnType<typeof createEmailDeliveriesRepository>
