import t from 'tap'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { createTestStreams, waitFor, NATS_URL } from '@dreamseed/testing'
import { applyStreams, deadLetters, newEnvelope, publishEnvelope, startConsumer, streamFor, userVerifiedV1, type HandlerResult, type ReceivedEvent } from '../src/index.js'
import { createBatchQueue } from '../src/batch-queue.js'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }
const email = (e: ReceivedEvent): string => (e.envelope.data as { email: string }).email.split('@')[0]!

async function setUp (t: { teardown: (fn: () => unknown) => void }, names: string[]): Promise<{ nc: NatsConnection, prefix: string }> {
  const nc = await connect({ servers: NATS_URL })
  t.teardown(async () => { await nc.close() })
  const prefix = await createTestStreams(t, applyStreams)
  // All in the stream before the consumer starts, so its first pulls bring several at once.
  for (const name of names) await publishEnvelope(nc, prefix, newEnvelope(userVerifiedV1, { userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10', email: `${name}@b.org`, verifiedAt: new Date().toISOString() }))
  return { nc, prefix }
}

async function idle (nc: NatsConnection, prefix: string, durable: string): Promise<void> {
  const jsm = await jetstreamManager(nc)
  await waitFor(async () => {
    const info = await jsm.consumers.info(streamFor(prefix, 'user.verified'), durable)
    return info.num_pending === 0 && info.num_ack_pending === 0
  }, { what: 'the consumer to acknowledge everything' })
}

t.test('in batch mode events come in batches, one result each: acked, retried or filed alone', async (t) => {
  const names = ['a', 'b', 'bad', 'c', 'flaky', 'd', 'e', 'f']
  const { nc, prefix } = await setUp(t, names)
  const batches: string[][] = []
  const single: string[] = []
  const consumer = startConsumer({
    connection: async () => nc,
    prefix,
    stream: streamFor(prefix, 'user.verified'),
    durable: 'batch-consumer',
    maxDeliver: 4,
    backoffMs: [50],
    concurrency: 1,
    batchSize: 5,
    log: quiet,
    handle: async (e) => { single.push(email(e)); return { kind: 'ack' } },
    handleBatch: async (events) => {
      batches.push(events.map(email))
      // The first batch takes a while, so the rest wait and come together.
      if (batches.length === 1) await new Promise((resolve) => setTimeout(resolve, 200))
      return events.map((e): HandlerResult => email(e) === 'bad' ? { kind: 'reject', reason: 'permanently bad' } : email(e) === 'flaky' && e.deliveryCount === 1 ? { kind: 'retry', reason: 'not yet' } : { kind: 'ack' })
    }
  })
  t.teardown(() => consumer.stop())
  await waitFor(() => batches.flat().filter((n) => n === 'flaky').length === 2, { what: 'the retried event again' })
  await idle(nc, prefix, 'batch-consumer')
  t.ok(batches.every((b) => b.length <= 5), `no batch above the size (${JSON.stringify(batches)})`)
  t.ok(batches.some((b) => b.length > 1), 'events handed over several at a time')
  t.same(batches.flat().filter((n) => n !== 'flaky').sort(), names.filter((n) => n !== 'flaky').sort(), 'every other event handled once')
  t.same(single, [], 'no event went through the one-at-a-time path')
  const store = await deadLetters(nc, prefix)
  await waitFor(async () => (await store.count()) === 1, { what: 'the rejected event filed' })
  t.same((await store.list()).map((l) => l.reason), ['rejected: permanently bad'])
})

t.test('a batch that fails is handled one event at a time: the poison event is filed alone, the rest acked', async (t) => {
  const names = ['a', 'b', 'poison', 'c', 'd']
  const { nc, prefix } = await setUp(t, names)
  const single: string[] = []
  let failedBatches = 0
  const consumer = startConsumer({
    connection: async () => nc,
    prefix,
    stream: streamFor(prefix, 'user.verified'),
    durable: 'failing-batch-consumer',
    maxDeliver: 2,
    backoffMs: [50],
    concurrency: 1,
    log: quiet,
    handle: async (e) => {
      single.push(email(e))
      if (email(e) === 'poison') throw new Error('cannot be applied')
      return { kind: 'ack' }
    },
    handleBatch: async (events) => {
      if (events.some((e) => email(e) === 'poison')) { failedBatches++; throw new Error('the batch\'s transaction failed') }
      return events.map(() => ({ kind: 'ack' }))
    }
  })
  t.teardown(() => consumer.stop())
  const store = await deadLetters(nc, prefix)
  await waitFor(async () => (await store.count()) === 1, { what: 'the poison event filed' })
  await idle(nc, prefix, 'failing-batch-consumer')
  t.ok(failedBatches >= 2, 'each delivery of the poison event failed its batch')
  t.same(single.filter((n) => n === 'poison'), ['poison', 'poison'], 'the poison event tried alone on each of its deliveries')
  const acked = single.filter((n) => n !== 'poison')
  t.same([...new Set(acked)].sort(), acked.sort(), 'no other event handled twice alone')
  t.same((await store.list()).map((l) => l.reason), ['gave up after 2 deliveries: handler failed: cannot be applied'])
})

t.test('a batch queue starts a batch when a worker is free, with what has arrived, never above its size', async (t) => {
  const started: number[][] = []
  const release: Array<() => void> = []
  const queue = createBatchQueue<number>({
    size: 3,
    concurrency: 1,
    run: async (batch) => { started.push(batch); await new Promise<void>((resolve) => release.push(resolve)) }
  })
  await queue.push(1)
  await new Promise((resolve) => setImmediate(resolve))
  t.same(started, [[1]], 'alone, the first message starts at once')
  const pushes = [2, 3, 4, 5, 6].map(async (n) => { await queue.push(n) })
  await new Promise((resolve) => setImmediate(resolve))
  release.shift()!()
  await waitFor(() => started.length === 2, { what: 'the second batch' })
  t.same(started[1], [2, 3, 4], 'what waited, up to the size')
  release.shift()!()
  await waitFor(() => started.length === 3, { what: 'the third batch' })
  await Promise.all(pushes)
  t.same(started[2], [5, 6])
  await queue.push(7)
  const drained = queue.drain()
  release.shift()!()
  t.same(await drained, [7], 'drain hands back what no batch took')
})
