import t from 'tap'
import { STREAMS, streamMaxBytes } from '../src/streams.js'
import { GiB, MiB, StreamSettingsError, streamSettings } from '../src/stream-settings.js'

const refused = (env: Record<string, string>): StreamSettingsError => {
  try { streamSettings(env) } catch (err) { if (err instanceof StreamSettingsError) return err; throw err }
  throw new Error(`accepted ${JSON.stringify(env)}`)
}

t.test('the defaults keep one copy and fit a 5 GiB JetStream store with room to spare', async (t) => {
  const settings = streamSettings({})
  t.same(settings, { replicas: 1, totalBytes: 3 * GiB })
  const sizes = STREAMS.map((d) => streamMaxBytes(d, settings))
  const total = sizes.reduce((sum, s) => sum + s, 0)
  t.ok(total <= 0.8 * 5 * GiB, `the six streams reserve ${total} bytes of 5 GiB`)
  t.ok(total > 0.9 * settings.totalBytes, 'and use most of the budget')
  t.same(sizes.map((s) => s >= 64 * MiB), sizes.map(() => true), 'each stream gets at least 64 MiB')
})

t.test('the total is split by weight in whole MiB and never exceeded; a cap bounds each stream', async (t) => {
  const totalBytes = 100 * MiB
  t.same(STREAMS.map((d) => [d.name, streamMaxBytes(d, { totalBytes }) / MiB]), [['USERS', 14], ['ORGANIZATIONS', 14], ['EXAMS', 59], ['ANALYTICS', 3], ['DEADLETTERS', 3], ['REPLAYS', 3]])
  t.same(STREAMS.map((d) => streamMaxBytes(d, { totalBytes, maxBytes: 10 * MiB }) / MiB), [10, 10, 10, 3, 3, 3])
})

t.test('sizes are read in bytes or binary units, replicas as a whole number', async (t) => {
  t.same(streamSettings({ STREAMS_MAX_BYTES: '32GiB', STREAM_REPLICAS: '3' }), { replicas: 3, totalBytes: 32 * GiB })
  t.equal(streamSettings({ STREAMS_MAX_BYTES: '512Mi' }).totalBytes, 512 * MiB, 'Kubernetes units')
  t.equal(streamSettings({ STREAMS_MAX_BYTES: '1.5GiB' }).totalBytes, 1.5 * GiB)
  t.equal(streamSettings({ STREAMS_MAX_BYTES: '1073741824' }).totalBytes, GiB, 'plain bytes')
  t.equal(streamSettings({ STREAMS_MAX_BYTES: '' }).totalBytes, 3 * GiB, 'empty means the default')
})

t.test('a bad value is refused, naming the variable and what is expected', async (t) => {
  for (const [env, name, expected] of [
    [{ STREAMS_MAX_BYTES: '3GB' }, 'STREAMS_MAX_BYTES', /KiB, MiB, GiB or TiB/],
    [{ STREAMS_MAX_BYTES: 'lots' }, 'STREAMS_MAX_BYTES', /KiB, MiB, GiB or TiB/],
    [{ STREAMS_MAX_BYTES: '10MiB' }, 'STREAMS_MAX_BYTES', /at least 64\.0 MiB/],
    [{ STREAM_REPLICAS: '0' }, 'STREAM_REPLICAS', /from 1 to 5/],
    [{ STREAM_REPLICAS: '6' }, 'STREAM_REPLICAS', /from 1 to 5/],
    [{ STREAM_REPLICAS: 'three' }, 'STREAM_REPLICAS', /from 1 to 5/]
  ] as const) {
    const err = refused(env)
    t.equal(err.code, 'EVENTS_INVALID_STREAM_SETTINGS', JSON.stringify(env))
    t.equal(err.problems.length, 1)
    t.match(err.problems[0], new RegExp(`^${name} is invalid: .*${expected.source}.*\\(got "${Object.values(env)[0]}"\\)$`))
  }
  t.equal(refused({ STREAMS_MAX_BYTES: '3GB', STREAM_REPLICAS: 'x' }).problems.length, 2, 'every problem at once')
})
