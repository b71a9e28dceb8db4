// Incoming: applies analytics' promotions: a calibrated pretest item becomes active with the parameters
// estimated from its responses. Applied once (inbox, same transaction); an item that is no longer a pretest
// item (retired, or already promoted by an earlier event) is left as it is, since the teacher's later
// decision wins.
import { analyticsItemPromotedV1, createEventHandler, eventKey, toHandlerResult, type AnalyticsItemPromotedV1, type HandlerResult, type ReceivedEvent } from '@dreamseed/events'
import type { TxRepositories } from '../repositories/index.js'
import type { ExamDeps } from './deps.js'
import { itemChangedRow } from './item-events.js'

export type PromotionOutcome = 'promoted' | 'not-pretest' | 'unknown-item'

export function createPromotionProjections (deps: ExamDeps, log: { warn: (o: object, m: string) => void }): (event: ReceivedEvent) => Promise<HandlerResult> {
  const handler = createEventHandler<TxRepositories, { organizationId: string, itemId: string, outcome: PromotionOutcome }>({
    once: deps.repos.once,
    handlers: {
      [eventKey(analyticsItemPromotedV1.type, analyticsItemPromotedV1.version)]: async ({ items }, envelope) => {
        const data = envelope.data as AnalyticsItemPromotedV1
        const now = deps.now()
        const applied = { organizationId: data.organizationId, itemId: data.itemId }
        const item = await items.lock(data.itemId, data.organizationId)
        if (item === undefined) return { ...applied, outcome: 'unknown-item' }
        if (item.status !== 'pretest') return { ...applied, outcome: 'not-pretest' }
        const after = { ...item, a: data.a, b: data.b, c: data.c, d: 1, status: 'active' as const, updatedAt: now }
        await items.update(item, { a: after.a, b: after.b, c: after.c, d: after.d, status: after.status, updatedAt: now }, itemChangedRow(after, now, { requestId: envelope.requestId }))
        return { ...applied, outcome: 'promoted' }
      }
    }
  })
  return async (event) => {
    const handled = await handler.handle(event)
    if (handled.kind === 'applied') {
      const { organizationId, itemId, outcome } = handled.value
      // After the commit: the bank is dropped and the relay told only once the change is there to read.
      if (outcome === 'promoted') {
        deps.bank.invalidate(organizationId)
        deps.eventsWritten()
      } else {
        log.warn({ eventId: event.envelope.id, itemId, outcome }, 'promotion not applied')
      }
    }
    return toHandlerResult(handled)
  }
}
