import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { jetstreamManager, jetstream } from '@nats-io/jetstream'
import { createTestStreams, testPrefix, waitFor, NATS_URL } from '@dreamseed/testing'
import { applyStreams, newEnvelope, publishEnvelope, startConsumer, startDeadLetterWatcher, ensureConsumer, consumerConfig, deadLetters, publishDeadLetter, streamFor, STREAMS, userVerifiedV1, type HandlerResult, type ReceivedEvent } from '../src/index.js'

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
  const names = STREAMS.map((d) => `${prefix.toUpperCase()}_${d.name}`)
  t.same(STREAMS.map((d) => d.name), ['USERS', 'ORGANIZATIONS', 'EXAMS', 'ANALYTICS', 'DEADLETTERS', 'REPLAYS'])
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
  const buried: string[] = []
  const consumer = startConsumer({
    connection: async () => nc,
    prefix,
    onDeadLetter: (reason) => buried.push(reason),
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

  // Nothing is dropped silently: the rejected, the exhausted and the unreadable wait as dead letters.
  const store = await deadLetters(nc, prefix)
  await waitFor(async () => (await store.count()) === 3, { what: 'three dead letters' })
  const letters = await store.list({ consumer: 'test-consumer' })
  t.same(letters.map((l) => l.reason).sort(), ['gave up after 4 deliveries: never', 'not JSON', 'rejected: permanently bad'])
  t.same(buried.sort(), letters.map((l) => l.reason).sort(), 'each counted once')
  for (const l of letters) {
    t.equal(l.stream, streamFor(prefix, 'user.verified'))
    t.equal(l.subject, `${prefix}.user.verified.v1`)
    t.ok(l.streamSequence >= 1 && l.streamSequence <= 5, 'the original sequence')
  }
  const hopeless = letters.find((l) => l.reason.includes('never'))!
  t.equal(hopeless.deliveries, 4)
  t.match(JSON.parse(new TextDecoder().decode(hopeless.data)), { data: { email: 'hopeless@b.org' } }, 'the event itself')

  // Replayed to the consumer alone; once the cause is fixed it is applied and leaves the dead letters.
  outcome.hopeless = () => ({ kind: 'ack' })
  const before = seen.hopeless!.length
  t.ok(await store.replay(hopeless.seq))
  await waitFor(() => seen.hopeless!.length === before + 1, { what: 'the replayed event handled' })
  t.equal(seen.ok?.length, 1, 'other events are not delivered again')
  t.equal(await store.count(), 2)
  t.equal(await store.get(hopeless.seq), undefined)
  const bad = letters.find((l) => l.reason.startsWith('rejected'))!
  t.equal(await store.discard(bad.seq), true)
  t.equal(await store.discard(bad.seq), false, 'discarding twice finds nothing')
  t.same((await store.list()).map((l) => l.reason), ['not JSON'])
})

t.test('an event a consumer never acknowledges (its process dies on every delivery) is filed from JetStream\'s advisory', async (t) => {
  const nc = await nats(t)
  const prefix = await createTestStreams(t, applyStreams)
  const stream = streamFor(prefix, 'user.verified')
  const buried: string[] = []
  await ensureConsumer(nc, stream, consumerConfig({ durable: 'dying-consumer', maxDeliver: 2, ackWaitMs: 300 }))
  const watcher = startDeadLetterWatcher({ connection: async () => nc, prefix, stream, durable: 'dying-consumer', log: quiet, onDeadLetter: (reason) => buried.push(reason) })
  t.teardown(() => watcher.stop())
  await new Promise((resolve) => setTimeout(resolve, 200))
  await publishEnvelope(nc, prefix, newEnvelope(userVerifiedV1, { userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10', email: 'dying@b.org', verifiedAt: new Date().toISOString() }))
  // Each delivery is taken and never acknowledged, as by a process killed mid-handling.
  const consumer = await jetstream(nc).consumers.get(stream, 'dying-consumer')
  let deliveries = 0
  const store = await deadLetters(nc, prefix)
  await waitFor(async () => {
    for await (const m of await consumer.fetch({ max_messages: 1, expires: 1000 })) { deliveries = m.info.deliveryCount }
    return (await store.count()) === 1
  }, { what: 'the dead letter', timeoutMs: 15_000 })
  const [letter] = await store.list()
  t.match(letter, { consumer: 'dying-consumer', stream, streamSequence: 1, deliveries: 2 })
  t.match(letter!.reason, /exhausted 2 deliveries/)
  t.equal(deliveries, 2, 'delivered max_deliver times')
  t.equal(buried.length, 1, 'counted')
})

t.test('the dead-letters command lists, shows, replays and discards', async (t) => {
  const nc = await nats(t)
  const prefix = await createTestStreams(t, applyStreams)
  for (const [consumer, seq] of [['mailer', 7], ['mailer', 8], ['exam-classrooms', 3]] as const) {
    await publishDeadLetter(nc, prefix, { stream: `${prefix.toUpperCase()}_USERS`, consumer, streamSequence: seq, subject: `${prefix}.user.created.v1`, reason: `bad ${seq}`, deliveries: 5, data: new TextEncoder().encode(`{"n":${seq}}`) })
  }
  const run = (...args: string[]) => spawnSync(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', 'src/cli/dead-letters.ts', ...args], { env: { ...process.env, NATS_URL, EVENTS_PREFIX: prefix }, encoding: 'utf8', cwd: join(import.meta.dirname, '..') })
  const list = run('list')
  t.equal(list.status, 0, list.stderr)
  t.equal(list.stdout.trim().split('\n').length, 4, 'a header and three letters')
  t.match(list.stdout, /\tmailer\t[A-Z0-9_]+_USERS#7\t5\tbad 7/)
  t.match(list.stderr, /3 shown of 3/)
  t.equal(run('list', '--consumer', 'exam-classrooms').stdout.trim().split('\n').length, 2)
  const shown = JSON.parse(run('show', '2').stdout)
  t.match(shown, { seq: 2, consumer: 'mailer', streamSequence: 8, data: '{"n":8}' })
  t.match(run('replay', '1').stdout, /replayed 1 to mailer/)
  const replays = await jetstreamManager(nc).then(async (jsm) => await jsm.streams.info(streamFor(prefix, 'replay.mailer')))
  t.equal(replays.state.messages, 1, 'sent to the consumer\'s replay subject')
  t.match(run('discard', '3').stdout, /discarded/)
  t.equal(run('discard', '3').status, 1, 'discarding twice says so')
  t.equal(run('show', 'x').status, 2, 'a bad argument is a usage error')
  t.match(run('list').stderr, /1 shown of 1/)
})
