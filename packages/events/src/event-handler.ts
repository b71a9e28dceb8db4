// The one way a consumer takes in an event: events it does not read are acknowledged and left alone, an event
// that breaks its contract is rejected (never guessed at), and the rest are applied by the handler for their
// `type.vN`, exactly once when the consumer passes `once` (an inbox row written in the same transaction).
import { contractFor } from './catalog.js'
import type { Envelope } from './envelope.js'
import type { HandlerResult, ReceivedEvent } from './consume.js'

/** `user.created.v1`: the key of an event's type and version in every handler table. */
export const eventKey = (type: string, version: number): string => `${type}.v${version}`

export type EventApply<C, R> = (ctx: C, envelope: Envelope<unknown>, event: ReceivedEvent) => Promise<R>

/** Runs `apply` at most once per event id; undefined when the event was applied before. */
export type ApplyOnce<C> = <R>(envelope: Envelope<unknown>, apply: (ctx: C) => Promise<R>) => Promise<R | undefined>

export type Handled<R> =
  | { kind: 'ignored' }
  | { kind: 'rejected', reason: string }
  | { kind: 'duplicate' }
  | { kind: 'applied', value: R }

export interface EventHandlerOptions<C, R> {
  /** The events this consumer applies, by `eventKey(type, version)`. */
  handlers: Record<string, EventApply<C, R>>
  /** Exactly-once application; without it the handler runs on every delivery with `ctx` undefined. */
  once?: ApplyOnce<C>
}

/** What the handler makes of an event before applying it: a batch applier admits a batch, then applies the accepted ones together. */
export type Admitted<C, R> =
  | { kind: 'ignored' }
  | { kind: 'rejected', reason: string }
  | { kind: 'accepted', key: string, apply: EventApply<C, R> }

export interface EventHandler<C, R> {
  handle: (event: ReceivedEvent) => Promise<Handled<R>>
  /** The type and contract checks of `handle` alone, nothing applied. */
  admit: (event: ReceivedEvent) => Admitted<C, R>
}

export function createEventHandler<C = undefined, R = void> (options: EventHandlerOptions<C, R>): EventHandler<C, R> {
  const handlers = new Map(Object.entries(options.handlers))
  const once: ApplyOnce<C> = options.once ?? (async (_envelope, apply) => await apply(undefined as C))
  const admit = (event: ReceivedEvent): Admitted<C, R> => {
    const { envelope } = event
    const key = eventKey(envelope.type, envelope.version)
    const apply = handlers.get(key)
    if (apply === undefined) return { kind: 'ignored' }
    const contract = contractFor(envelope.type, envelope.version)
    const problems = contract === undefined ? ['no contract is known for it'] : contract.check(envelope)
    if (problems.length > 0) return { kind: 'rejected', reason: `${key} breaks its contract: ${problems.join('; ')}` }
    return { kind: 'accepted', key, apply }
  }
  return {
    admit,
    async handle (event) {
      const admitted = admit(event)
      if (admitted.kind !== 'accepted') return admitted
      const { envelope } = event
      const outcome = await once(envelope, async (ctx) => ({ value: await admitted.apply(ctx, envelope, event) }))
      return outcome === undefined ? { kind: 'duplicate' } : { kind: 'applied', value: outcome.value }
    }
  }
}

/** What the consumer tells JetStream: a rejected event goes to the dead letters, everything else is acknowledged. */
export function toHandlerResult (handled: Handled<unknown>): HandlerResult {
  return handled.kind === 'rejected' ? { kind: 'reject', reason: handled.reason } : { kind: 'ack' }
}
