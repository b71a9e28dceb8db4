// `pnpm streams:apply`: creates or updates every declared stream. Safe to run any number of times. It first
// asks the server for room for all of them; without it, it changes nothing, prints what each stream would
// reserve, the total and what the server offers, and exits 1 (2 for bad settings). Against an authorizing
// NATS it runs as the admin user (NATS_USER, NATS_PASSWORD).
import { jetstreamManager } from '@nats-io/jetstream'
import { STREAMS, StreamsDoNotFitError, applyStreams, streamMaxBytes } from '../streams.js'
import { StreamSettingsError, formatBytes, streamSettings, type StreamSettings } from '../stream-settings.js'
import { connectNats } from '../nats-connect.js'

const prefix = process.env.EVENTS_PREFIX ?? 'dreamseed'
let settings: StreamSettings
try {
  settings = streamSettings({ STREAM_REPLICAS: process.env.STREAM_REPLICAS, STREAMS_MAX_BYTES: process.env.STREAMS_MAX_BYTES })
} catch (err) {
  if (!(err instanceof StreamSettingsError)) throw err
  process.stderr.write(`${err.message}\n`)
  process.exit(2)
}

const nc = await connectNats({ servers: process.env.NATS_URL, name: 'streams-apply', user: process.env.NATS_USER, password: process.env.NATS_PASSWORD })
try {
  const result = await applyStreams(await jetstreamManager(nc), prefix, settings)
  for (const [i, r] of result.entries()) process.stdout.write(`stream ${r.name}: ${r.action} (${formatBytes(streamMaxBytes(STREAMS[i]!, settings))} × ${settings.replicas})\n`)
} catch (err) {
  // A refusal (no room, a user without the right to manage streams) is an answer, not a crash: one line.
  process.stderr.write(err instanceof StreamsDoNotFitError ? `${err.message}\n` : `streams:apply: ${(err as Error).message}\n`)
  process.exitCode = 1
} finally {
  await nc.close()
}
