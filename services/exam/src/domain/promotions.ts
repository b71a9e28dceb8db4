// Applies analytics' promotions: a calibrated pretest item becomes active with the parameters estimated from
// its responses. Applied once (inbox, same transaction); an item that is no longer a pretest item (retired,
// or already promoted by an earlier event) is left as it is, since the teacher's later decision wins.
import { and, eq } from 'drizzle-orm'
import { examOutbox, inbox, items } from '@dreamseed/schema/exam'
import { analyticsItemPromotedV1, contractFor, type AnalyticsItemPromotedV1, type Envelope, type HandlerResult } from '@dreamseed/events'
import type { ExamDeps } from './deps.js'
import { bumpBankVersion } from '../repositories/item-bank-repository.js'
import { itemChangedRow } from './item-events.js'
import { itemColumns } from './items.js'

export type PromotionOutcome = 'promoted' | 'not-pretest' | 'unknown-item' | 'duplicate'

export async function applyPromotion (deps: ExamDeps, envelope: Envelope<unknown>, log: { warn: (o: object, m: string) => void }): Promise<HandlerResult> {
  if (envelope.type !== analyticsItemPromotedV1.type || envelope.version !== analyticsItemPromotedV1.version) return { kind: 'ack' }
  const problems = contractFor(envelope.type, envelope.version)!.check(envelope)
  if (problems.length > 0) return { kind: 'reject', reason: `breaks its contract: ${problems.join('; ')}` }
  const data = envelope.data as AnalyticsItemPromotedV1
  const now = deps.now()
  const outcome = await deps.db.transaction(async (tx): Promise<PromotionOutcome> => {
    const fresh = await tx.insert(inbox).values({ eventId: envelope.id, type: envelope.type }).onConflictDoNothing().returning({ id: inbox.eventId })
    if (fresh.length === 0) return 'duplicate'
    const [item] = await tx.select(itemColumns).from(items).where(and(eq(items.id, data.itemId), eq(items.organizationId, data.organizationId))).for('update')
    if (item === undefined) return 'unknown-item'
    if (item.status !== 'pretest') return 'not-pretest'
    const after = { ...item, a: data.a, b: data.b, c: data.c, d: 1, status: 'active' as const, updatedAt: now }
    await tx.update(items).set({ a: after.a, b: after.b, c: after.c, d: after.d, status: after.status, updatedAt: now }).where(eq(items.id, item.id))
    await bumpBankVersion(tx, item.organizationId, now)
    await tx.insert(examOutbox).values(itemChangedRow(after, now, envelope.requestId))
    return 'promoted'
  })
  if (outcome === 'promoted') {
    deps.bank.invalidate(data.organizationId)
    deps.eventsWritten()
  } else if (outcome !== 'duplicate') {
    log.warn({ eventId: envelope.id, itemId: data.itemId, outcome }, 'promotion not applied')
  }
  return { kind: 'ack' }
}
