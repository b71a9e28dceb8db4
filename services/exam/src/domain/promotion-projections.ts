// Incoming: applies analytics' promotions: a calibrated pretest item becomes active with the parameters
// estimated from its responses. Applied once (inbox, same transaction); an item that is no longer a pretest
// item (retired, or already promoted by an earlier event) is left as it is, since the teacher's later decision wins.
import { analyticsItemPromotedV1, contractFor, type AnalyticsItemPromotedV1, type Envelope, type HandlerResult } from '@dreamseed/events'
import type { ExamDeps } from './deps.js'
import { itemChangedRow } from './item-events.js'

export type PromotionOutcome = 'promoted' | 'not-pretest' | 'unknown-item' | 'duplicate'

export async function applyPromotion (deps: ExamDeps, envelope: Envelope<unknown>, log: { warn: (o: object, m: string) => void }): Promise<HandlerResult> {
  if (envelope.type !== analyticsItemPromotedV1.type || envelope.version !== analyticsItemPromotedV1.version) return { kind: 'ack' }
  const problems = contractFor(envelope.type, envelope.version)!.check(envelope)
  if (problems.length > 0) return { kind: 'reject', reason: `breaks its contract: ${problems.join('; ')}` }
  const data = envelope.data as AnalyticsItemPromotedV1
  const now = deps.now()
  const outcome: PromotionOutcome = await deps.repos.once(envelope, async ({ items }): Promise<PromotionOutcome> => {
    const item = await items.lock(data.itemId, data.organizationId)
    if (item === undefined) return 'unknown-item'
    if (item.status !== 'pretest') return 'not-pretest'
    const after = { ...item, a: data.a, b: data.b, c: data.c, d: 1, status: 'active' as const, updatedAt: now }
    await items.update(item, { a: after.a, b: after.b, c: after.c, d: after.d, status: after.status, updatedAt: now }, itemChangedRow(after, now, { requestId: envelope.requestId }))
    return 'promoted'
  }) ?? 'duplicate'
  if (outcome === 'promoted') {
    deps.bank.invalidate(data.organizationId)
    deps.eventsWritten()
  } else if (outcome !== 'duplicate') {
    log.warn({ eventId: envelope.id, itemId: data.itemId, outcome }, 'promotion not applied')
  }
  return { kind: 'ack' }
}
