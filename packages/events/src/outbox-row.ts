// Builds an event for the outbox: a new id and time, checked against its contract before it is written,
// so an event that breaks its own contract fails the transaction instead of reaching subscribers.
import type { Static, TSchema } from 'typebox'
import type { Envelope, EventContract } from './envelope.js'
import { newEventId } from './uuid.js'

export interface OutboxRow {
  id: string
  type: string
  version: number
  aggregateId: string
  envelope: Envelope
}

export function newEnvelope<S extends TSchema> (contract: EventContract<S>, data: Static<S>, meta: { requestId?: string, now?: Date } = {}): Envelope<Static<S>> {
  const envelope: Envelope<Static<S>> = {
    id: newEventId(),
    type: contract.type,
    version: contract.version,
    occurredAt: (meta.now ?? new Date()).toISOString(),
    producer: contract.producer,
    data
  }
  if (meta.requestId !== undefined) envelope.requestId = meta.requestId
  const problems = contract.check(envelope)
  if (problems.length > 0) throw new Error(`${contract.type}.v${contract.version} breaks its contract: ${problems.join('; ')}`)
  return envelope
}

export function outboxRow (envelope: Envelope, aggregateId: string): OutboxRow {
  return { id: envelope.id, type: envelope.type, version: envelope.version, aggregateId, envelope }
}
