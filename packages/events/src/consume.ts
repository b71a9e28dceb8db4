// The one way to consume: a durable pull consumer with explicit acks, a bounded number of deliveries and a
// growing delay between them. It survives NATS restarts and a consumer or stream that is not there yet,
// keeps a bounded number of messages in flight, and on stop waits for them to finish.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import type { Envelope } from './envelope.js'

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
  let messages: ConsumerMessages | undefined
  let markStarted!: () => void
  const started = new Promise<void>((resolve) => { markStarted = resolve })

  const process = async (m: JsMsg): Promise<void> => {
    const keepAlive = setInterval(() => { m.working() }, Math.max(100, ackWaitMs / 3))
    const deliveryCount = m.info.deliveryCount
    const context = { durable: options.durable, subject: m.subject, seq: m.seq, deliveryCount }
    try {
      let envelope: Envelope<unknown>
      try {
        envelope = m.json<Envelope<unknown>>()
      } catch {
        options.log.error(context, 'event is not JSON; rejected')
        m.term()
        return
      }
      const result = await options.handle({ envelope, subject: m.subject, deliveryCount, streamSequence: m.seq, lastAttempt: deliveryCount >= maxDeliver })
      if (result.kind === 'ack') m.ack()
      else if (result.kind === 'reject') {
        options.log.error({ ...context, eventId: envelope.id, reason: result.reason }, 'event rejected')
        m.term()
      } else {
        const delay = backoffDelay(backoffMs, deliveryCount)
        options.log.warn({ ...context, eventId: envelope.id, reason: result.reason, retryInMs: delay }, 'event will be retried')
        m.nak(delay)
      }
    } catch (err) {
      const delay = backoffDelay(backoffMs, deliveryCount)
      options.log.error({ ...context, err, retryInMs: delay }, 'event handler failed; will be retried')
      m.nak(delay)
    } finally {
      clearInterval(keepAlive)
    }
  }

  const run = async (): Promise<void> => {
    let failures = 0
    while (!stopped) {
      try {
        const nc = await options.connection()
        await ensureConsumer(nc, options.stream, consumerConfig({ ...options, maxDeliver, ackWaitMs, concurrency }))
        const consumer = await jetstream(nc).consumers.get(options.stream, options.durable)
        messages = await consumer.consume({ max_messages: concurrency * 2 })
        failures = 0
        markStarted()
        for await (const m of messages) {
          while (inFlight.size >= concurrency) await Promise.race(inFlight)
          const p: Promise<void> = process(m).finally(() => inFlight.delete(p))
          inFlight.add(p)
          if (stopped) break
        }
      } catch (err) {
        if (stopped) break
        if (failures++ % 10 === 0) options.log.warn({ err, durable: options.durable }, 'consumer not running yet; retrying')
        await new Promise((resolve) => setTimeout(resolve, 500))
      }
    }
  }
  const loop = run()

  return {
    started,
    stop: async () => {
      stopped = true
      try { await messages?.close() } catch { /* already closed with its connection */ }
      await Promise.allSettled([...inFlight])
      await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 1000))])
    }
  }
}
