// The one way to consume: a durable pull consumer with explicit acks, a bounded number of deliveries and a
// growing delay between them. It survives NATS restarts and a consumer or stream that is not there yet,
// keeps a bounded number of messages in flight, and on stop waits for them to finish.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { Envelope } from './envelope.js'
import { publishDeadLetter, replaySubject } from './dead-letters.js'
import { streamFor } from './streams.js'

const NS_PER_MS = 1_000_000

export interface ReceivedEvent {
  envelope: Envelope<unknown>
  subject: string
  deliveryCount: number
  streamSequence: number
  /** No further delivery will follow if this one is not acknowledged. */
  lastAttempt: boolean
}

export type HandlerResult = { kind: 'ack' } | { kind: 'retry', reason: string } | { kind: 'reject', reason: string }

export interface Logger {
  info: (obj: object, msg: string) => void
  warn: (obj: object, msg: string) => void
  error: (obj: object, msg: string) => void
}

export interface ConsumerOptions {
  connection: () => Promise<NatsConnection>
  /** The deployment's EVENTS_PREFIX: dead letters and replays live under it. */
  prefix: string
  stream: string
  durable: string
  filterSubject?: string
  maxDeliver?: number
  /** Delay before the n-th redelivery of a message its handler asked to retry; the last value repeats. */
  backoffMs?: number[]
  /** How long a delivery may stay unacknowledged before JetStream redelivers it (kept alive while the handler works). */
  ackWaitMs?: number
  concurrency?: number
  log: Logger
  handle: (event: ReceivedEvent) => Promise<HandlerResult>
  /** Called for every event filed as a dead letter (e.g. to count them in a metric). */
  onDeadLetter?: (reason: string) => void
}

export interface RunningConsumer {
  stop: () => Promise<void>
  /** Resolves once the consumer exists and messages are being pulled (tests wait on it). */
  started: Promise<void>
}

export const DEFAULT_BACKOFF_MS = [1000, 5000, 15000, 60000, 300000]

export function backoffDelay (backoffMs: number[], deliveryCount: number): number {
  return backoffMs[Math.min(Math.max(deliveryCount - 1, 0), backoffMs.length - 1)] ?? 1000
}

export function consumerConfig (options: Pick<ConsumerOptions, 'durable' | 'filterSubject' | 'maxDeliver' | 'ackWaitMs' | 'concurrency'>): Partial<ConsumerConfig> {
  const config: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_deliver: options.maxDeliver ?? 10,
    ack_wait: (options.ackWaitMs ?? 30_000) * NS_PER_MS,
    max_ack_pending: Math.max(100, (options.concurrency ?? 4) * 4)
  }
  if (options.filterSubject !== undefined) config.filter_subject = options.filterSubject
  return config
}

export async function ensureConsumer (nc: NatsConnection, stream: string, config: Partial<ConsumerConfig>): Promise<void> {
  const jsm = await jetstreamManager(nc)
  const durable = config.durable_name as string
  try {
    await jsm.consumers.info(stream, durable)
    await jsm.consumers.update(stream, durable, config)
  } catch (err) {
    if (!/consumer not found/i.test((err as Error).message) && (err as { name?: string }).name !== 'ConsumerNotFoundError') throw err
    await jsm.consumers.add(stream, config)
  }
}

export function startConsumer (options: ConsumerOptions): RunningConsumer {
  const maxDeliver = options.maxDeliver ?? 10
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS
  const ackWaitMs = options.ackWaitMs ?? 30_000
  const concurrency = options.concurrency ?? 4
  const inFlight = new Set<Promise<void>>()
  let stopped = false
  let markStarted!: () => void
  const started = new Promise<void>((resolve) => { markStarted = resolve })

  /** Files the message as a dead letter, then acknowledges it; if filing fails it stays unacknowledged. */
  const bury = async (m: JsMsg, stream: string, reason: string, context: object): Promise<void> => {
    try {
      const nc = await options.connection()
      await publishDeadLetter(nc, options.prefix, { stream, consumer: options.durable, streamSequence: m.seq, subject: m.subject, reason, deliveries: m.info.deliveryCount, data: m.data })
      options.log.error({ ...context, reason }, 'event filed as a dead letter')
      options.onDeadLetter?.(reason)
      m.term()
    } catch (err) {
      // Redelivered if deliveries remain; if not, JetStream's max-deliveries advisory files it (startDeadLetterWatcher).
      options.log.error({ ...context, err, reason }, 'could not file a dead letter; left unacknowledged')
      m.nak(backoffDelay(backoffMs, m.info.deliveryCount))
    }
  }

  const process = async (m: JsMsg, stream: string): Promise<void> => {
    const keepAlive = setInterval(() => { m.working() }, Math.max(100, ackWaitMs / 3))
    const deliveryCount = m.info.deliveryCount
    const context = { durable: options.durable, subject: m.subject, seq: m.seq, deliveryCount }
    const lastAttempt = deliveryCount >= maxDeliver
    const retry = async (reason: string, extra: object): Promise<void> => {
      if (lastAttempt) { await bury(m, stream, `gave up after ${deliveryCount} deliveries: ${reason}`, { ...context, ...extra }); return }
      const delay = backoffDelay(backoffMs, deliveryCount)
      options.log.warn({ ...context, ...extra, reason, retryInMs: delay }, 'event will be retried')
      m.nak(delay)
    }
    try {
      let envelope: Envelope<unknown>
      try {
        envelope = m.json<Envelope<unknown>>()
      } catch {
        await bury(m, stream, 'not JSON', context)
        return
      }
      try {
        const result = await options.handle({ envelope, subject: m.subject, deliveryCount, streamSequence: m.seq, lastAttempt })
        if (result.kind === 'ack') m.ack()
        else if (result.kind === 'reject') await bury(m, stream, `rejected: ${result.reason}`, { ...context, eventId: envelope.id })
        else await retry(result.reason, { eventId: envelope.id })
      } catch (err) {
        await retry(`handler failed: ${(err as Error).message}`, { eventId: envelope.id, err })
      }
    } finally {
      clearInterval(keepAlive)
    }
  }

  const loops: Array<{ messages?: ConsumerMessages }> = []
  const run = async (stream: string, durable: string, filterSubject: string | undefined, onStarted: () => void): Promise<void> => {
    const state: { messages?: ConsumerMessages } = {}
    loops.push(state)
    let failures = 0
    while (!stopped) {
      try {
        const nc = await options.connection()
        await ensureConsumer(nc, stream, consumerConfig({ durable, filterSubject, maxDeliver, ackWaitMs, concurrency }))
        const consumer = await jetstream(nc).consumers.get(stream, durable)
        state.messages = await consumer.consume({ max_messages: concurrency * 2 })
        failures = 0
        onStarted()
        for await (const m of state.messages) {
          while (inFlight.size >= concurrency) await Promise.race(inFlight)
          const p: Promise<void> = process(m, stream).finally(() => inFlight.delete(p))
          inFlight.add(p)
          if (stopped) break
        }
      } catch (err) {
        if (stopped) break
        if (failures++ % 10 === 0) options.log.warn({ err, durable }, 'consumer not running yet; retrying')
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    }
  }
  let mainStarted = false
  let replayStarted = false
  const check = (): void => { if (mainStarted && replayStarted) markStarted() }
  const loop = Promise.all([
    run(options.stream, options.durable, options.filterSubject, () => { mainStarted = true; check() }),
    // Dead letters sent back with `pnpm dead-letters replay` reach this consumer alone, through REPLAYS.
    run(streamFor(options.prefix, 'replay.any'), `${options.durable}-replay`, replaySubject(options.prefix, options.durable), () => { replayStarted = true; check() })
  ])
  const advisories = startDeadLetterWatcher(options)

  return {
    started,
    stop: async () => {
      stopped = true
      advisories.stop()
      for (const state of loops) {
        try { await state.messages?.close() } catch { /* already closed with its connection */ }
      }
      await Promise.allSettled([...inFlight])
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 1000))])
    }
  }
}

/**
 * Files the events JetStream gave up on without a word from the handler (the process died or hung on every
 * delivery): the max-deliveries advisory names the stream sequence, and the event is copied from the stream.
 * A queue group, so one replica files each; the dead letter's id makes a second filing a no-op.
 */
export function startDeadLetterWatcher (options: Pick<ConsumerOptions, 'connection' | 'prefix' | 'stream' | 'durable' | 'log' | 'onDeadLetter'>): { stop: () => void } {
  const fail = (o: object): void => { options.log.error(o, 'dead-letter watcher failed') }
  let stopped = false
  let sub: { unsubscribe: () => void } | undefined
  void (async () => {
    while (!stopped && sub === undefined) {
      try {
        const nc = await options.connection()
        const jsm = await jetstreamManager(nc)
        const s = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${options.stream}.${options.durable}`, { queue: `${options.durable}-dead-letters` })
        sub = s
        for await (const m of s) {
          try {
            const advisory = m.json<{ stream: string, consumer: string, stream_seq: number, deliveries: number }>()
            const original = await jsm.streams.getMessage(advisory.stream, { seq: advisory.stream_seq })
            if (original === null) continue
            const reason = `exhausted ${advisory.deliveries} deliveries without an acknowledgement (the handler crashed or hung)`
            await publishDeadLetter(nc, options.prefix, { stream: advisory.stream, consumer: advisory.consumer, streamSequence: advisory.stream_seq, subject: original.subject, reason, deliveries: advisory.deliveries, data: original.data })
            options.log.error({ durable: options.durable, seq: advisory.stream_seq }, 'event filed as a dead letter after max deliveries')
            options.onDeadLetter?.(reason)
          } catch (err) { fail({ err }) }
        }
      } catch (err) {
        if (!stopped) { fail({ err }); await new Promise((resolve) => setTimeout(resolve, 1000)) }
      }
    }
  })()
  return { stop: () => { stopped = true; sub?.unsubscribe() } }
}
