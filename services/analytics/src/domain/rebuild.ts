// Rebuilds every read model from the streams: truncates them (the inbox with them) and replays each stream
// from its first message through an ordered (ephemeral) consumer, applying every event exactly as the live
// consumers do. Because each projection gives the same state whatever the order and however often an event
// comes, the result equals the incrementally built one, and live consumers may keep running meanwhile: an
// event both they and the replay apply is deduplicated by the inbox. Events go in batches of the stream's
// order, each one transaction, as the live consumers apply them. Promotions are decisions, not derived data,
// and survive.
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { streamFor, type Envelope, type ReceivedEvent } from '@dreamseed/events'
import type { Db } from '@dreamseed/kit'
import { createReadModelsRepository } from '../repositories/read-models-repository.js'
import { createBatchApplier, createEventApplier, type Applied } from './apply-event.js'

/** The streams analytics reads, by an event type each holds. */
const STREAM_TYPES = ['user.created', 'classroom.created', 'exam.session.started']
/** Events per transaction of the replay. */
const BATCH = 256

export interface RebuildReport { stream: string, messages: number, applied: number }

export async function rebuildReadModels (options: { db: Db, nc: NatsConnection, prefix: string, log: { info: (obj: object, msg: string) => void } }): Promise<{ streams: RebuildReport[], organizations: string[] }> {
  const readModels = createReadModelsRepository(options.db)
  const applyBatch = createBatchApplier(options.db)
  const applyEvent = createEventApplier(options.db)
  // As the live consumers do: a batch that fails (a lock conflict with them) is applied one event at a time.
  const applyAll = async (events: ReceivedEvent[]): Promise<Applied[]> => {
    try {
      return await applyBatch(events)
    } catch {
      const outcomes: Applied[] = []
      for (const e of events) outcomes.push(await applyEvent(e))
      return outcomes
    }
  }
  await readModels.truncate()
  const jsm = await jetstreamManager(options.nc)
  const js = jetstream(options.nc)
  const reports: RebuildReport[] = []
  const organizations = new Set<string>()
  for (const type of STREAM_TYPES) {
    const stream = streamFor(options.prefix, type)
    const { state } = await jsm.streams.info(stream)
    const report = { stream, messages: 0, applied: 0 }
    reports.push(report)
    if (state.messages === 0) continue
    // Messages published after this point are the live consumers' business (and harmless if replayed too).
    const last = state.last_seq
    const consumer = await js.consumers.get(stream)
    const messages = await consumer.consume()
    let batch: ReceivedEvent[] = []
    const apply = async (): Promise<void> => {
      for (const applied of await applyAll(batch)) {
        if (applied.applied) report.applied++
        for (const o of applied.organizations) organizations.add(o)
      }
      batch = []
    }
    for await (const m of messages) {
      report.messages++
      batch.push({ envelope: m.json<Envelope<unknown>>(), subject: m.subject, deliveryCount: 1, streamSequence: m.seq, lastAttempt: false })
      if (m.seq >= last) break
      if (batch.length >= BATCH) await apply()
    }
    await apply()
    await messages.close()
    options.log.info(report, 'stream replayed')
  }
  // Every organization with data, so the caller can make all their cached answers stale.
  for (const o of await readModels.organizations()) organizations.add(o)
  return { streams: reports, organizations: [...organizations] }
}
