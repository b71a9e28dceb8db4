// streams:apply against private nats-servers whose JetStream store is small: it asks for room first, and
// creates or changes nothing when the streams do not fit.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { connect, type ConnectionOptions } from '@nats-io/transport-node'
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream'
import { startPrivateNats, testPrefix } from '@dreamseed/testing'
import { STREAMS, StreamsDoNotFitError, applyStreams, streamMaxBytes, streamName, type StreamOptions } from '../src/streams.js'
import { MiB, formatBytes } from '../src/stream-settings.js'

type Teardown = { teardown: (fn: () => unknown) => void }

/** max_file_store: 100MB is 100 MiB to nats-server. */
const STORE = 100 * MiB
const smallStore = (dir: string): string => `jetstream { store_dir: "${dir}", max_file_store: 100MB }`

async function manager (t: Teardown, url: string, options: Partial<ConnectionOptions> = {}): Promise<JetStreamManager> {
  const nc = await connect({ servers: url, ...options })
  t.teardown(() => nc.close())
  return await jetstreamManager(nc)
}

const names = (prefix: string): string[] => STREAMS.map((d) => streamName(prefix, d))
const sizes = (options: StreamOptions): number[] => STREAMS.map((d) => streamMaxBytes(d, options))
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0)
const listed = async (jsm: JetStreamManager): Promise<string[]> => (await jsm.streams.names().next()).sort()
const maxBytesOf = async (jsm: JetStreamManager, prefix: string): Promise<number[]> =>
  await Promise.all(names(prefix).map(async (n) => (await jsm.streams.info(n)).config.max_bytes))

async function refusal (promise: Promise<unknown>): Promise<StreamsDoNotFitError> {
  try { await promise } catch (err) { if (err instanceof StreamsDoNotFitError) return err; throw err }
  throw new Error('the streams were applied')
}

const cli = (env: Record<string, string>) => spawnSync(process.execPath, ['--conditions=dreamseed-source', '--import', 'tsx', 'src/cli/apply-streams.ts'], {
  env: { ...process.env, ...env }, encoding: 'utf8', cwd: join(import.meta.dirname, '..')
})

t.test('streams that do not fit are refused with each reservation, the total and the offer, and nothing is created', async (t) => {
  const server = await startPrivateNats(t, { config: smallStore })
  const jsm = await manager(t, server.url)
  const prefix = testPrefix()
  const options = { totalBytes: 1024 * MiB }
  const err = await refusal(applyStreams(jsm, prefix, options))
  t.equal(err.code, 'EVENTS_STREAMS_DO_NOT_FIT')
  t.same(err.streams, STREAMS.map((d) => ({ name: streamName(prefix, d), bytes: streamMaxBytes(d, options), current: undefined })), 'each stream and what it would reserve')
  t.equal(err.needed, sum(sizes(options)), 'all of it is needed: none exists yet')
  t.ok(err.offered > STORE - MiB && err.offered <= STORE, `offered ${err.offered}: the empty 100 MiB store, to within 1 MiB`)
  t.equal(err.accountLimit, undefined, 'no account limit')
  t.same(await listed(jsm), [], 'no stream created, no probe left behind')

  const run = cli({ NATS_URL: server.url, EVENTS_PREFIX: prefix, STREAMS_MAX_BYTES: '1GiB' })
  t.equal(run.status, 1, 'the command fails')
  t.equal(run.stdout, '', 'and reports no stream applied')
  for (const [i, d] of STREAMS.entries()) t.match(run.stderr, new RegExp(`\\n  ${streamName(prefix, d)} +${formatBytes(sizes(options)[i]!)} \\(new\\)\\n`), `names ${d.name} and its size`)
  t.match(run.stderr, new RegExp(`\\n  total +${formatBytes(sum(sizes(options)))} per copy, 1 copy: ${formatBytes(sum(sizes(options)))} more`))
  const offered = /\n {2}offered +(\d+\.\d) MiB more/.exec(run.stderr)
  t.ok(offered !== null && Number(offered[1]) > 99 && Number(offered[1]) <= 100, `what the server offers: ${offered?.[1]} MiB`, { stderr: run.stderr })
  t.match(run.stderr, /nothing was created or changed/)
  t.same(await listed(jsm), [], 'still no stream')
})

t.test('with room the command creates all six, sized by STREAMS_MAX_BYTES', async (t) => {
  const server = await startPrivateNats(t, { config: smallStore })
  const jsm = await manager(t, server.url)
  const prefix = testPrefix()
  const run = cli({ NATS_URL: server.url, EVENTS_PREFIX: prefix, STREAMS_MAX_BYTES: '64MiB', STREAM_REPLICAS: '1' })
  t.equal(run.status, 0, 'the command succeeds', { stderr: run.stderr })
  t.same(run.stdout.trim().split('\n').map((line) => line.split(':')[0]), names(prefix).map((n) => `stream ${n}`))
  t.match(run.stdout, new RegExp(`stream ${streamName(prefix, STREAMS[2]!)}: created \\(37\\.0 MiB × 1\\)`))
  t.same(await listed(jsm), names(prefix).sort(), 'the six streams and nothing else')
  t.same(await maxBytesOf(jsm, prefix), sizes({ totalBytes: 64 * MiB }))
})

t.test('an update reserves only the difference, and a growth past the room changes nothing', async (t) => {
  const server = await startPrivateNats(t, { config: smallStore })
  const jsm = await manager(t, server.url)
  const prefix = testPrefix()
  const small = { totalBytes: 64 * MiB }
  const large = { totalBytes: 96 * MiB }
  t.same((await applyStreams(jsm, prefix, small)).map((r) => r.action), STREAMS.map(() => 'created'))
  t.ok(sum(sizes(large)) > STORE - sum(sizes(small)), 'the new sizes alone exceed the room left, their growth does not')
  t.same((await applyStreams(jsm, prefix, large)).map((r) => r.action), STREAMS.map(() => 'updated'))
  t.same(await maxBytesOf(jsm, prefix), sizes(large))

  const err = await refusal(applyStreams(jsm, prefix, { totalBytes: 160 * MiB }))
  t.same(err.streams.map((s) => s.current), sizes(large), 'what each reserves now')
  t.equal(err.needed, sum(sizes({ totalBytes: 160 * MiB })) - sum(sizes(large)))
  t.ok(err.offered > STORE - sum(sizes(large)) - MiB && err.offered <= STORE - sum(sizes(large)), `offered ${err.offered}: the store less what the streams reserve`)
  t.same(await maxBytesOf(jsm, prefix), sizes(large), 'no stream changed')
  t.same(await listed(jsm), names(prefix).sort(), 'no probe left behind')
})

t.test('bytes move between streams when the end state fits: the shrinking streams go first', async (t) => {
  const server = await startPrivateNats(t, { config: smallStore })
  const jsm = await manager(t, server.url)
  const prefix = testPrefix()
  const even = { totalBytes: 1024 * MiB, maxBytes: 15 * MiB }
  const weighted = { totalBytes: 100 * MiB }
  await applyStreams(jsm, prefix, even)
  t.same(await maxBytesOf(jsm, prefix), STREAMS.map(() => 15 * MiB))
  // In declaration order EXAMS (third) would grow while most of the others still hold their 15 MiB.
  t.ok(sum(sizes(weighted)) <= STORE && 90 * MiB - 2 * MiB + sizes(weighted)[2]! - 15 * MiB > STORE, 'the end state fits, the declaration order would not')
  t.same((await applyStreams(jsm, prefix, weighted)).map((r) => r.action), STREAMS.map(() => 'updated'))
  t.same(await maxBytesOf(jsm, prefix), sizes(weighted))
})

t.test('an account limit below the server\'s is what the server offers, and is named', async (t) => {
  const server = await startPrivateNats(t, {
    config: (dir) => `jetstream { store_dir: "${dir}", max_file_store: 1GB }
accounts { APP: { jetstream: { max_file: 50MB }, users: [{ user: app, password: app }] } }`
  })
  const jsm = await manager(t, server.url, { user: 'app', pass: 'app' })
  const prefix = testPrefix()
  const err = await refusal(applyStreams(jsm, prefix, { totalBytes: 64 * MiB }))
  t.equal(err.accountLimit, 50 * MiB, 'the account\'s max_storage')
  t.ok(err.offered > 49 * MiB && err.offered <= 50 * MiB, `offered ${err.offered}: the account's 50 MiB, not the server's 1 GiB`)
  t.match(err.message, /\n {2}account limit +50\.0 MiB/)
  t.same(await listed(jsm), [])
  t.same((await applyStreams(jsm, prefix, { totalBytes: 48 * MiB, maxBytes: 8 * MiB })).map((r) => r.action), STREAMS.map(() => 'created'), 'within the limit it applies')
})
