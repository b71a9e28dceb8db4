// `pnpm streams:apply`: creates or updates every declared stream. Safe to run any number of times.
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { applyStreams } from '../streams.js'

const servers = (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',')
const prefix = process.env.EVENTS_PREFIX ?? 'dreamseed'
const replicas = Number(process.env.STREAM_REPLICAS ?? '1')

const nc = await connect({ servers, name: 'streams-apply' })
try {
  const result = await applyStreams(await jetstreamManager(nc), prefix, { replicas })
  for (const r of result) process.stdout.write(`stream ${r.name}: ${r.action}\n`)
} finally {
  await nc.close()
}
