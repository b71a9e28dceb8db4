// What online calibration reads and writes: the item with its latest promotion, the pretest responses it
// collected in completed sessions paired with each session's final ability, and a promotion recorded together
// with the outbox row that announces it (one transaction).
import { sql } from 'drizzle-orm'
import { analyticsOutbox, itemPromotions } from '@dreamseed/schema/analytics'
import type { OutboxRow } from '@dreamseed/events'
import type { Db } from '@dreamseed/kit'

export type CalibrationItemRow = {
  organization_id: string
  status: string | null
  a: number | null
  b: number | null
  c: number | null
  d: number | null
  /** null: a right/wrong item (see analytics.items). */
  categories: number | null
  irt: { model: string } | null
  promotion: { id: string, a: number, b: number, c: number, sample_size: number, promoted_by: string, promoted_at: string } | null
}

export type NewPromotion = typeof itemPromotions.$inferInsert

export function createItemCalibrationRepository (db: Db) {
  return {
    async item (itemId: string): Promise<CalibrationItemRow | undefined> {
      const [item] = await db.execute<CalibrationItemRow>(sql`
        select i.organization_id, i.status, i.a, i.b, i.c, i.d, i.categories, i.irt,
               (select row_to_json(p) from analytics.item_promotions p where p.item_id = i.id order by p.promoted_at desc, p.id desc limit 1) as promotion
        from analytics.items i where i.id = ${itemId}`)
      return item
    },

    /**
     * The item's pretest responses from completed sessions, each with its session's final θ and that θ's
     * standard error (both set by exam.session.completed), and its score category, in a stable order.
     */
    async pretestSample (itemId: string): Promise<Array<{ theta: number, se: number, correct: boolean, score: number }>> {
      return await db.execute<{ theta: number, se: number, correct: boolean, score: number }>(sql`
        select s.theta, s.se, r.correct, r.score from analytics.responses r join analytics.sessions s on s.id = r.session_id
        where r.item_id = ${itemId} and r.pretest and s.completed_at is not null and not s.voided
        order by r.session_id, r.position`)
    },

    async recordPromotion (promotion: NewPromotion, announcement: OutboxRow): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.insert(itemPromotions).values(promotion)
        await tx.insert(analyticsOutbox).values(announcement)
      })
    }
  }
}

export type ItemCalibrationRepository = ReturnType<typeof createItemCalibrationRepository>
