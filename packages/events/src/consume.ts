// The one way to consume: a durable pull consumer with explicit acks, a bounded number of deliveries and a
// growing delay between them. It survives NATS restarts and a consumer or stream that is not there yet,
// keeps a bounded number of messages (or batches of them) in flight, and on stop waits for them to finish.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { createBatchQueue, type BatchQueue } from './batch-queue.js'
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
  /** Messages handled at once; with `handleBatch`, batches. */
  concurrency?: number
  log: Logger
  handle: (event: ReceivedEvent) => Promise<HandlerResult>
  /**
   * Handles several events at once (e.g. in one transaction), returning one result per event in their order;
   * each is acknowledged only once it resolves. If it throws, the batch's events go through `handle` one at
   * a time, so one event that cannot be applied is retried or filed alone.
   */
  handleBatch?: (events: ReceivedEvent[]) => Promise<HandlerResult[]>
  /** Most events in one batch (default 64). */
  batchSize?: number
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

/** Messages pulled ahead of the handler: two per message in flight; with batches, a full one per batch in flight and one waiting. */
export function pulledAhead (options: Pick<ConsumerOptions, 'concurrency' | 'batchSize'>): number {
  const concurrency = options.concurrency ?? 4
  const batchSize = options.batchSize ?? 1
  return batchSize === 1 ? concurrency * 2 : (concurrency + 1) * batchSize
}

export function consumerConfig (options: Pick<ConsumerOptions, 'durable' | 'filterSubject' | 'maxDeliver' | 'ackWaitMs' | 'concurrency' | 'batchSize'>): Partial<ConsumerConfig> {
  const config: Partial<ConsumerConfig> = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_deliver: options.maxDeliver ?? 10,
    ack_wait: (options.ackWaitMs ?? 30_000) * NS_PER_MS,
    max_ack_pending: Math.max(100, pulledAhead(options) * 2)
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
  const batchSize = options.handleBatch === undefined ? 1 : options.batchSize ?? 64
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

  const received = (m: JsMsg, envelope: Envelope<unknown>): ReceivedEvent =>
    ({ envelope, subject: m.subject, deliveryCount: m.info.deliveryCount, streamSequence: m.seq, lastAttempt: m.info.deliveryCount >= maxDeliver })
  const contextOf = (m: JsMsg): object => ({ durable: options.durable, subject: m.subject, seq: m.seq, deliveryCount: m.info.deliveryCount })
  /** The envelope, or undefined once an unreadable message is filed as a dead letter. */
  const parse = async (m: JsMsg, stream: string): Promise<Envelope<unknown> | undefined> => {
    try {
      return m.json<Envelope<unknown>>()
    } catch {
      await bury(m, stream, 'not JSON', contextOf(m))
      return undefined
    }
  }
  const retry = async (m: JsMsg, stream: string, event: ReceivedEvent, reason: string, extra: object): Promise<void> => {
    const context = { ...contextOf(m), eventId: event.envelope.id, ...extra }
    if (event.lastAttempt) { await bury(m, stream, `gave up after ${event.deliveryCount} deliveries: ${reason}`, context); return }
    const delay = backoffDelay(backoffMs, event.deliveryCount)
    options.log.warn({ ...context, reason, retryInMs: delay }, 'event will be retried')
    m.nak(delay)
  }
  /** Tells JetStream what became of a message. */
  const settle = async (m: JsMsg, stream: string, event: ReceivedEvent, result: HandlerResult): Promise<void> => {
    if (result.kind === 'ack') m.ack()
    else if (result.kind === 'reject') await bury(m, stream, `rejected: ${result.reason}`, { ...contextOf(m), eventId: event.envelope.id })
    else await retry(m, stream, event, result.reason, {})
  }
  const deliver = async (m: JsMsg, stream: string, event: ReceivedEvent): Promise<void> => {
    try {
      await settle(m, stream, event, await options.handle(event))
    } catch (err) {
      await retry(m, stream, event, `handler failed: ${(err as Error).message}`, { err })
    }
  }
  /** Keeps JetStream from redelivering messages while they are being handled. */
  const keepingAlive = async (messages: JsMsg[], work: () => Promise<void>): Promise<void> => {
    const keepAlive = setInterval(() => { for (const m of messages) m.working() }, Math.max(100, ackWaitMs / 3))
    try { await work() } finally { clearInterval(keepAlive) }
  }

  const process = async (m: JsMsg, stream: string): Promise<void> => await keepingAlive([m], async () => {
    const envelope = await parse(m, stream)
    if (envelope !== undefined) await deliver(m, stream, received(m, envelope))
  })

  const processBatch = (handleBatch: NonNullable<ConsumerOptions['handleBatch']>) => async (batch: JsMsg[], stream: string): Promise<void> => await keepingAlive(batch, async () => {
    const readable: Array<{ m: JsMsg, event: ReceivedEvent }> = []
    for (const m of batch) {
      const envelope = await parse(m, stream)
      if (envelope !== undefined) readable.push({ m, event: received(m, envelope) })
    }
    if (readable.length === 0) return
    let results: HandlerResult[]
    try {
      results = await handleBatch(readable.map((r) => r.event))
      if (results.length !== readable.length) throw new Error(`${results.length} results for ${readable.length} events`)
    } catch (err) {
      options.log.warn({ err, durable: options.durable, events: readable.length }, 'batch failed; its events are handled one at a time')
      for (const { m, event } of readable) await deliver(m, stream, event)
      return
    }
    for (const [i, { m, event }] of readable.entries()) await settle(m, stream, event, results[i]!)
  })

  const loops: Array<{ messages?: ConsumerMessages, queue?: BatchQueue<JsMsg> }> = []
  const run = async (stream: string, durable: string, filterSubject: string | undefined, onStarted: () => void): Promise<void> => {
    const state: { messages?: ConsumerMessages, queue?: BatchQueue<JsMsg> } = {}
    loops.push(state)
    const handleBatch = options.handleBatch === undefined ? undefined : processBatch(options.handleBatch)
    let failures = 0
    while (!stopped) {
      try {
        const nc = await options.connection()
        await ensureConsumer(nc, stream, consumerConfig({ durable, filterSubject, maxDeliver, ackWaitMs, concurrency, batchSize }))
        const consumer = await jetstream(nc).consumers.get(stream, durable)
        state.messages = await consumer.consume({ max_messages: pulledAhead({ concurrency, batchSize }) })
        failures = 0
        onStarted()
        if (handleBatch !== undefined) {
          const queue = createBatchQueue<JsMsg>({ size: batchSize, concurrency, run: async (batch) => { await handleBatch(batch, stream) } })
          state.queue = queue
          try {
            for await (const m of state.messages) {
              await queue.push(m)
              if (stopped) break
            }
          } finally {
            // Messages no batch took (the pull ended, failed or was stopped) go back to JetStream at once.
            for (const m of await queue.drain()) m.nak()
          }
          continue
        }
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
      for (const state of loops) for (const m of await state.queue?.drain() ?? []) m.nak()
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
