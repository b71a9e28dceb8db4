import t from 'tap'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager, jetstream } from '@nats-io/jetstream'
import { createTestStreams, testPrefix, waitFor, NATS_URL } from '@dreamseed/testing'
import { applyStreams, newEnvelope, publishEnvelope, startConsumer, streamFor, userVerifiedV1, type HandlerResult, type ReceivedEvent } from '../src/index.js'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }
const verified = (userId = '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10') => newEnvelope(userVerifiedV1, { userId, email: 'a@b.org', verifiedAt: new Date().toISOString() })

async function nats (t: { teardown: (fn: () => unknown) => void }): Promise<NatsConnection> {
  const nc = await connect({ servers: NATS_URL })
  t.teardown(async () => { await nc.close() })
  return nc
}

t.test('streams are created once and updated on later runs', async (t) => {
  const nc = await nats(t)
  const prefix = testPrefix()
  const jsm = await jetstreamManager(nc)
  const names = [`${prefix.toUpperCase()}_USERS`, `${prefix.toUpperCase()}_ORGANIZATIONS`, `${prefix.toUpperCase()}_EXAMS`]
  t.teardown(async () => { for (const n of names) await jsm.streams.delete(n).catch(() => {}) })
  t.same(await applyStreams(jsm, prefix, { maxBytes: 64 * 1024 * 1024 }), names.map((name) => ({ name, action: 'created' })))
  t.same(await applyStreams(jsm, prefix, { maxBytes: 64 * 1024 * 1024 }), names.map((name) => ({ name, action: 'updated' })))
  const info = await jsm.streams.info(`${prefix.toUpperCase()}_USERS`)
  t.same(info.config.subjects, [`${prefix}.user.>`])
  t.equal(info.config.duplicate_window, 10 * 60_000 * 1_000_000)
  t.equal(info.config.max_bytes, 64 * 1024 * 1024, 'the size cap applies')
})

t.test('publishing the same event twice stores it once (Nats-Msg-Id is the event id)', async (t) => {
  const nc = await nats(t)
  const prefix = await createTestStreams(t, applyStreams)
  const e = verified()
  const first = await publishEnvelope(nc, prefix, e)
  const second = await publishEnvelope(nc, prefix, e)
  t.equal(first.duplicate, false)
  t.equal(second.duplicate, true)
  const info = await (await jetstreamManager(nc)).streams.info(streamFor(prefix, 'user.verified'))
  t.equal(info.state.messages, 1)
})

t.test('a consumer acks, retries with backoff up to max_deliver, and rejects bad events without retrying', async (t) => {
  const nc = await nats(t)
  const prefix = await createTestStreams(t, applyStreams)
  const seen: Record<string, number[]> = {}
  const outcome: Record<string, (e: ReceivedEvent) => HandlerResult> = {
    ok: () => ({ kind: 'ack' }),
    flaky: (e) => e.deliveryCount < 3 ? { kind: 'retry', reason: 'not yet' } : { kind: 'ack' },
    hopeless: () => ({ kind: 'retry', reason: 'never' }),
    bad: () => ({ kind: 'reject', reason: 'permanently bad' })
  }
  const lastAttempts: string[] = []
  const consumer = startConsumer({
    connection: async () => nc,
    stream: streamFor(prefix, 'user.verified'),
    durable: 'test-consumer',
    maxDeliver: 4,
    backoffMs: [50, 100],
    ackWaitMs: 2000,
    log: quiet,
    handle: async (event) => {
      const kind = (event.envelope.data as { email: string }).email.split('@')[0] ?? ''
      ;(seen[kind] ??= []).push(Date.now())
      if (event.lastAttempt) lastAttempts.push(kind)
      return outcome[kind]!(event)
    }
  })
  t.teardown(() => consumer.stop())
  for (const kind of Object.keys(outcome)) {
    await publishEnvelope(nc, prefix, newEnvelope(userVerifiedV1, { userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10', email: `${kind}@b.org`, verifiedAt: new Date().toISOString() }))
  }
  await jetstream(nc).publish(`${prefix}.user.verified.v1`, 'not json at all')
  await waitFor(() => (seen.hopeless?.length ?? 0) >= 4 && (seen.flaky?.length ?? 0) >= 3, { what: 'all deliveries' })
  await new Promise((resolve) => setTimeout(resolve, 400))
  t.equal(seen.ok?.length, 1, 'acked once, delivered once')
  t.equal(seen.flaky?.length, 3, 'retried until it succeeded')
  t.equal(seen.hopeless?.length, 4, 'bounded by max_deliver')
  t.equal(seen.bad?.length, 1, 'a rejected event is not redelivered')
  t.same(lastAttempts, ['hopeless'], 'the handler is told which delivery is the last')
  const gaps = seen.flaky!.slice(1).map((at, i) => at - seen.flaky![i]!)
  t.ok(gaps[0]! >= 45 && gaps[1]! >= 95, `backoff grows between retries (${gaps.join(', ')} ms)`)
  const info = await (await jetstreamManager(nc)).consumers.info(streamFor(prefix, 'user.verified'), 'test-consumer')
  t.equal(info.num_ack_pending, 0, 'nothing left in flight')
  t.equal(info.config.max_deliver, 4)
})
