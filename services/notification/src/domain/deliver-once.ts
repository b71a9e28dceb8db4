// Sends one mail for one event at most once: the delivery is recorded (and claimed) before sending, so a
// redelivered event finds it sent and stops. Transient SMTP failures are retried with backoff; permanent
// ones are recorded as failed and not retried.
import type { HandlerResult } from '@dreamseed/events'
import type { EmailDeliveriesRepository } from '../repositories/email-deliveries-repository.js'
import type { Mailer } from '../plugins/mailer.js'
import type { RenderedMail, TemplateName } from '../views/mail-templates.js'

export type DeliveryOutcome = 'sent' | 'duplicate' | 'retry' | 'failed' | 'suppressed'

export interface DeliverDeps {
  deliveries: EmailDeliveriesRepository
  mailer: Mailer
  isPermanent: (err: unknown) => boolean
  /** How long a claim by a worker that may have died is respected. */
  leaseMs: number
  record: (template: TemplateName, outcome: DeliveryOutcome) => void
}

export interface DeliveryRequest {
  eventId: string
  template: TemplateName
  to: string
  lastAttempt: boolean
  render: () => RenderedMail
  /** At most one mail of this template to this recipient per this many ms; another event's within it is dropped (outcome suppressed). */
  atMostEveryMs?: number
}

/** The same for every attempt, so a receiving system can recognise a resend after a crash as the same message. */
export const messageIdFor = (eventId: string, template: string): string => `<${eventId}.${template}@dreamseed>`

export async function deliverOnce (deps: DeliverDeps, request: DeliveryRequest): Promise<HandlerResult> {
  const key = { eventId: request.eventId, template: request.template }
  const messageId = messageIdFor(request.eventId, request.template)
  const claimRequest = { ...key, recipient: request.to, messageId, leaseMs: deps.leaseMs }
  const claim = request.atMostEveryMs === undefined || request.atMostEveryMs <= 0
    ? await deps.deliveries.claim(claimRequest)
    : await deps.deliveries.claimUnlessRecent({ ...claimRequest, intervalMs: request.atMostEveryMs })
  if ('recent' in claim) {
    deps.record(request.template, 'suppressed')
    return { kind: 'ack' }
  }
  if (!claim.claimed) {
    if (claim.status === 'sending') return { kind: 'retry', reason: 'another worker is sending this mail' }
    deps.record(request.template, 'duplicate')
    return { kind: 'ack' }
  }
  try {
    await deps.mailer.send({ ...request.render(), to: request.to, messageId })
  } catch (err) {
    const reason = (err as Error).message
    if (deps.isPermanent(err) || request.lastAttempt) {
      // Filed as a dead letter by the consumer; `pnpm dead-letters replay` claims the failed delivery again.
      await deps.deliveries.markFailed(key, reason)
      deps.record(request.template, 'failed')
      return { kind: 'reject', reason: `mail not delivered: ${reason}` }
    }
    await deps.deliveries.markPending(key, reason)
    deps.record(request.template, 'retry')
    return { kind: 'retry', reason }
  }
  await markSentWithRetry(deps, key)
  deps.record(request.template, 'sent')
  return { kind: 'ack' }
}

// Once the SMTP server has the mail, losing the "sent" mark would mean sending it again after the lease:
// worth a few quick retries before giving up.
async function markSentWithRetry (deps: DeliverDeps, key: { eventId: string, template: string }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.deliveries.markSent(key)
      return
    } catch (err) {
      if (attempt >= 5) throw err
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
  }
}
