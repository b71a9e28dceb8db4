// Against a nats-server running the rendered authorization block: the read-only user and each service are
// refused every event they do not produce (and the streams stay as they were), while each service publishes
// its own events with an acknowledgement and runs its consumers, dead letters and replays included.
import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { NatsConnection } from '@nats-io/transport-node'
import { AckPolicy, jetstream } from '@nats-io/jetstream'
import { waitFor } from '@dreamseed/testing'
import { CATALOG, PLATFORM_SERVICES, STREAMS, consumerConfig, deadLetters, declaredConsumers, ensureConsumer, newEventId, publishEnvelope, startConsumer, startDeadLetterWatcher, streamName, type Envelope, type EventContract, type ReceivedEvent } from '../src/index.js'
import { startAuthorizedNats } from './authorized-nats.js'

const quiet = { info: () => {}, warn: () => {}, error: () => {} }
const nats = await startAuthorizedNats(t)
const { prefix, jsm } = nats
const stream = (name: string): string => streamName(prefix, STREAMS.find((s) => s.name === name)!)
const streamOf = (contract: EventContract): string => streamName(prefix, STREAMS.find((s) => s.subjects.some((p) => contract.type.startsWith(p.slice(0, -1))))!)

/** An envelope of the contract's type (publish rights do not look at the data). */
const envelopeOf = (contract: EventContract): Envelope => ({ id: newEventId(), type: contract.type, version: contract.version, occurredAt: new Date().toISOString(), producer: contract.producer, data: {} })

/** Every stream's last sequence, as the admin sees it. */
async function lastSequences (): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const s of STREAMS) out[s.name] = (await jsm.streams.info(stream(s.name))).state.last_seq
  return out
}

const PERMISSION_DENIED = { message: /Permissions Violation for Publish/ }

/** Publishes every listed event and expects each refused; returns how many were. */
async function expectRefused (t: Test, nc: NatsConnection, contracts: EventContract[], who: string): Promise<number> {
  let refused = 0
  for (const contract of contracts) {
    await t.rejects(publishEnvelope(nc, prefix, envelopeOf(contract)), PERMISSION_DENIED, `${who} may not publish ${contract.type}.v${contract.version}`)
    refused++
  }
  return refused
}

t.test('the read-only subscriber cannot publish any event, dead letter or replay; no stream gets anything', async (t) => {
  const subscriber = await nats.as('subscriber')
  const before = await lastSequences()
  t.equal(await expectRefused(t, subscriber, CATALOG, 'subscriber'), CATALOG.length)
  await t.rejects(jetstream(subscriber).publish(`${prefix}.deadletter.notification-mailer`, '{}'), PERMISSION_DENIED, 'no dead letter')
  await t.rejects(jetstream(subscriber).publish(`${prefix}.replay.notification-mailer`, '{}'), PERMISSION_DENIED, 'no replay')
  t.same(await lastSequences(), before, 'every stream holds what it held before')
  // The platform's consumers are out of its reach too: it cannot take over the mailer's durable.
  await t.rejects(ensureConsumer(subscriber, stream('USERS'), consumerConfig({ durable: 'notification-mailer' })), { message: /Permissions Violation/ })
  await t.rejects(jsm.consumers.info(stream('USERS'), 'notification-mailer'), { message: /consumer not found/ }, 'no such consumer was created')
})

t.test('a service cannot publish another service\'s events: the forged registration mail stays unsent', async (t) => {
  const before = await lastSequences()
  for (const service of PLATFORM_SERVICES) {
    const nc = await nats.as(service)
    const foreign = CATALOG.filter((c) => c.producer !== service)
    t.equal(await expectRefused(t, nc, foreign, service), foreign.length, `${service}: all ${foreign.length} foreign events refused`)
    await t.rejects(jetstream(nc).publish(`${prefix}.replay.notification-mailer`, '{}'), PERMISSION_DENIED, `${service} sends no replay`)
  }
  const exam = await nats.as('exam')
  await t.rejects(jetstream(exam).publish(`${prefix}.deadletter.notification-mailer`, '{}'), PERMISSION_DENIED, 'exam files no dead letter for the mailer')
  t.same(await lastSequences(), before, 'nothing was stored')
  // The stream still takes its producer's events: the next one gets the next sequence, so none slipped in.
  const auth = await nats.as('auth')
  const repeated = CATALOG.find((c) => c.type === 'user.registration.repeated')!
  const real = envelopeOf(repeated)
  const ack = await publishEnvelope(auth, prefix, real)
  t.equal(ack.seq, before.USERS! + 1)
  const stored = await jsm.streams.getMessage(stream('USERS'), { seq: ack.seq })
  t.equal(stored?.json<Envelope>().id, real.id, 'the only new event is auth\'s own')
})

t.test('each service publishes every event it produces and gets JetStream\'s acknowledgement', async (t) => {
  let acked = 0
  for (const service of PLATFORM_SERVICES) {
    const nc = await nats.as(service)
    for (const contract of CATALOG.filter((c) => c.producer === service)) {
      const ack = await publishEnvelope(nc, prefix, envelopeOf(contract))
      t.equal(ack.stream, streamOf(contract), `${service}: ${contract.type}.v${contract.version} stored in ${ack.stream}`)
      acked++
    }
    t.same(nc.violations, [], `${service}: no permission error`)
  }
  t.equal(acked, CATALOG.length, 'every contract published by its producer')
})

t.test('an event a service\'s consumer never acknowledges is filed from the advisory, with its credentials', async (t) => {
  const exam = await nats.as('exam')
  const analytics = await nats.as('analytics')
  const s = stream('ANALYTICS')
  await ensureConsumer(exam, s, consumerConfig({ durable: 'exam-promotions', maxDeliver: 2, ackWaitMs: 300 }))
  t.teardown(async () => { await jsm.consumers.delete(s, 'exam-promotions') })
  const buried: string[] = []
  const watcher = startDeadLetterWatcher({ connection: async () => exam, prefix, stream: s, durable: 'exam-promotions', log: quiet, onDeadLetter: (reason) => buried.push(reason) })
  t.teardown(() => watcher.stop())
  // The watcher subscribes as soon as its one round trip returns, on this same connection, so its
  // subscription reaches the server before the fetches below (each issued after round trips of ours).
  const promoted = CATALOG.find((c) => c.type === 'analytics.item.promoted')!
  const event = envelopeOf(promoted)
  await publishEnvelope(analytics, prefix, event)
  const consumer = await jetstream(exam).consumers.get(s, 'exam-promotions')
  const store = await deadLetters(await nats.as('admin'), prefix)
  const idOf = (data: Uint8Array): string => JSON.parse(new TextDecoder().decode(data)).id
  // Each delivery is taken and never acknowledged, as by a process killed mid-handling (the stream also
  // holds earlier events, which meet the same fate).
  const letter = await waitFor(async () => {
    for await (const m of await consumer.fetch({ max_messages: 1, expires: 1000 })) void m
    return (await store.list({ consumer: 'exam-promotions' })).find((l) => idOf(l.data) === event.id)
  }, { what: 'the dead letter', timeoutMs: 15_000 })
  t.match(letter, { stream: s, consumer: 'exam-promotions', deliveries: 2 })
  t.ok(buried.length >= 1 && buried.every((r) => r.startsWith('exhausted 2 deliveries')), 'filed by the watcher')
  t.same(exam.violations, [], 'exam hears its advisory, reads the stream and files the letter without a permission error')
})

t.test('each service runs its declared consumers; a rejected event becomes a dead letter the admin replays to it', async (t) => {
  const consumers = declaredConsumers()
  t.equal(consumers.length, 7)
  const producers = new Map<string, NatsConnection>()
  for (const service of PLATFORM_SERVICES) producers.set(service, await nats.as(service))
  const admin = await nats.as('admin')
  const store = await deadLetters(admin, prefix)
  for (const { service, durable, stream: name } of consumers) {
    const nc = await nats.as(service)
    const seen: ReceivedEvent[] = []
    const target = CATALOG.find((c) => streamOf(c) === stream(name))!
    const event = envelopeOf(target)
    // The first delivery is rejected, so the dead-letter and replay paths run with the service's rights too.
    let reject = true
    const running = startConsumer({
      connection: async () => nc,
      prefix,
      stream: stream(name),
      durable,
      maxDeliver: 3,
      backoffMs: [50],
      ackWaitMs: 2000,
      concurrency: 1,
      log: quiet,
      handle: async (e) => {
        if (e.envelope.id === event.id) seen.push(e)
        if (e.envelope.id === event.id && reject) { reject = false; return { kind: 'reject', reason: 'test' } }
        return { kind: 'ack' }
      }
    })
    t.teardown(() => running.stop())
    await running.started
    await publishEnvelope(producers.get(target.producer)!, prefix, event)
    const letter = await waitFor(async () => (await store.list({ consumer: durable })).find((l) => JSON.parse(new TextDecoder().decode(l.data)).id === event.id), { what: `${durable}'s dead letter` })
    t.ok(await store.replay(letter.seq), `the admin replays ${durable}'s dead letter`)
    await waitFor(() => seen.length === 2, { what: `${durable} handling the replay` })
    const info = await waitFor(async () => {
      const i = await jsm.consumers.info(stream(name), durable)
      return i.num_pending + i.num_ack_pending === 0 ? i : undefined
    }, { what: `${durable} settled` })
    t.equal(info.config.ack_policy, AckPolicy.Explicit, `${durable}: every event acknowledged`)
    await running.stop()
    await nc.flush()
    t.same(nc.violations, [], `${service}/${durable}: no permission error`)
  }
  t.same(admin.violations, [])
})

t.test('analytics replays its streams with consumers of its own naming (the rebuild); notification cannot', async (t) => {
  const analytics = await nats.as('analytics')
  const first = await (await jetstream(analytics).consumers.get(stream('EXAMS'))).next({ expires: 5000 })
  t.equal(first?.seq, 1, 'an ordered consumer reads EXAMS from the start')
  const notification = await nats.as('notification')
  await t.rejects((async () => await (await jetstream(notification).consumers.get(stream('EXAMS'))).next({ expires: 2000 }))(), { message: /Permissions Violation/ })
  t.same(analytics.violations, [])
})


t.test('the CLIs connect with NATS_USER and NATS_PASSWORD: the admin manages dead letters, the subscriber is refused streams:apply', async (t) => {
  const cli = (file: string, user: string, password: string, ...args: string[]) => spawnSync(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', `src/cli/${file}`, ...args], {
    env: { ...process.env, NATS_URL: nats.url, EVENTS_PREFIX: prefix, NATS_USER: user, NATS_PASSWORD: password },
    encoding: 'utf8',
    cwd: join(import.meta.dirname, '..')
  })
  const list = cli('dead-letters.ts', 'admin', nats.passwords.admin, 'list')
  t.equal(list.status, 0, list.stderr)
  t.match(list.stderr, /shown of \d+ dead letters/)
  const before = await lastSequences()
  const config = (await jsm.streams.info(stream('USERS'))).config
  const refused = cli('apply-streams.ts', 'subscriber', nats.passwords.subscriber)
  t.not(refused.status, 0)
  // Refused at its first stream request (the room check reads the streams before it changes any).
  t.match(refused.stderr, /^streams:apply: Permissions Violation for Publish to "\$JS\.API\.STREAM\./m)
  t.same((await jsm.streams.info(stream('USERS'))).config, config, 'the stream is unchanged')
  t.same(await lastSequences(), before)
  const wrong = cli('dead-letters.ts', 'admin', 'not-the-password', 'list')
  t.not(wrong.status, 0)
  t.match(wrong.stderr, /Authorization Violation/i)
  t.notMatch(wrong.stderr + wrong.stdout, 'not-the-password', 'the password is not echoed')
})
