// `pnpm streams:apply`: creates or updates every declared stream. Safe to run any number of times. Against
// an authorizing NATS it runs as the admin user (NATS_USER, NATS_PASSWORD).
import { jetstreamManager } from '@nats-io/jetstream'
import { applyStreams } from '../streams.js'
import { connectNats } from '../nats-connect.js'

const prefix = process.env.EVENTS_PREFIX ?? 'dreamseed'
const replicas = Number(process.env.STREAM_REPLICAS ?? '1')

const nc = await connectNats({ servers: process.env.NATS_URL, name: 'streams-apply', user: process.env.NATS_USER, password: process.env.NATS_PASSWORD })
try {
  const result = await applyStreams(await jetstreamManager(nc), prefix, { replicas })
  for (const r of result) process.stdout.write(`stream ${r.name}: ${r.action}\n`)
} finally {
  await nc.close()
}
