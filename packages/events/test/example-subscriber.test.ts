// The example subscriber in examples/ works as its comment says: from the start, from a sequence, with
// validation, acknowledging what it handled; and it does so as the read-only user of an authorizing NATS.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { jetstream } from '@nats-io/jetstream'
import { newEnvelope, publishEnvelope, streamFor, userVerifiedV1 } from '../src/index.js'
import { startAuthorizedNats } from './authorized-nats.js'

t.test('the example subscriber validates, acknowledges and starts where it is told, as the read-only user', async (t) => {
  const nats = await startAuthorizedNats(t)
  const { prefix, jsm } = nats
  const nc = await nats.as('auth')
  const stream = streamFor(prefix, 'user.verified')
  const ids: string[] = []
  for (let i = 0; i < 3; i++) {
    const e = newEnvelope(userVerifiedV1, { userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10', email: `u${i}@b.org`, verifiedAt: new Date().toISOString() })
    ids.push(e.id)
    await publishEnvelope(nc, prefix, e)
  }
  await jetstream(nc).publish(`${prefix}.user.verified.v1`, JSON.stringify({ id: 'x', type: 'user.verified', version: 1, data: { email: 'no' } }))
  const run = (durable: string, start: string, stopAfter: number) => spawnSync(process.execPath, ['--import', 'tsx', 'examples/subscriber.ts'], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, NATS_URL: nats.url, NATS_USER: 'subscriber', NATS_PASSWORD: nats.passwords.subscriber, STREAM: stream, DURABLE: durable, START: start, STOP_AFTER: String(stopAfter) },
    encoding: 'utf8',
    timeout: 60_000
  })
  const all = run('from-start', 'all', 4)
  t.equal(all.status, 0, all.stderr)
  t.same(all.stdout.trim().split('\n').map((l) => JSON.parse(l).id), ids, 'every valid event, in order')
  t.match(all.stderr, /"seq":4.*"problem":"data\/userId|"seq":4.*must have required property/, 'the invalid one is reported')
  const info = await jsm.consumers.info(stream, 'from-start')
  t.equal(info.ack_floor.stream_seq, 4, 'all four settled')
  t.equal(info.num_pending + info.num_ack_pending, 0)
  const fromSeq = run('from-two', 'seq:2', 2)
  t.same(fromSeq.stdout.trim().split('\n').map((l) => JSON.parse(l).seq), [2, 3], 'starts at the sequence')
})
