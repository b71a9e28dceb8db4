/* eslint-disable no-console -- an example prints what it receives */
// An example subscriber another team can copy: a durable JetStream consumer of DreamSeed events that starts
// from the beginning, a point in time or a stream sequence, validates each event against the published JSON
// Schema of its type and version, handles it, and acknowledges it. Only the NATS clients and Ajv are needed.
// It connects as the read-only user `subscriber` (NATS_USER, NATS_PASSWORD from the platform's operators),
// which may create and read consumers of its own on the event streams, and publish nothing.
//
//   NATS_URL=nats://127.0.0.1:4222 NATS_USER=subscriber NATS_PASSWORD=... \
//   EVENTS_PREFIX=dreamseed STREAM=DREAMSEED_EXAMS DURABLE=my-team-reports \
//   SUBJECT='dreamseed.exam.session.completed.v1' START=all|new|time:2026-11-01T00:00:00Z|seq:1200 \
//   node --import tsx examples/subscriber.ts
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { connect } from '@nats-io/transport-node'
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerConfig } from '@nats-io/jetstream'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback
  if (value === undefined) throw new Error(`${name} is required`)
  return value
}

// 1. One validator per event version, from the schemas this repository publishes (packages/events/schemas).
const schemasDir = process.env.SCHEMAS_DIR ?? join(import.meta.dirname, '..', 'schemas')
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
const validators = new Map<string, ValidateFunction>()
for (const file of readdirSync(schemasDir).filter((f) => f.endsWith('.json'))) {
  validators.set(file.replace(/\.json$/, ''), ajv.compile(JSON.parse(readFileSync(join(schemasDir, file), 'utf8')) as object))
}

// 2. Where to start: DeliverPolicy decides it once, when the durable is first created.
function startPolicy (start: string): Partial<ConsumerConfig> {
  if (start === 'all') return { deliver_policy: DeliverPolicy.All }
  if (start === 'new') return { deliver_policy: DeliverPolicy.New }
  if (start.startsWith('time:')) return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(start.slice(5)).toISOString() }
  if (start.startsWith('seq:')) return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: Number(start.slice(4)) }
  throw new Error(`START must be all, new, time:<ISO date> or seq:<n>, not ${start}`)
}

const stream = env('STREAM')
const durable = env('DURABLE')
// A development server without authorization takes no credentials.
const credentials = process.env.NATS_USER === undefined ? {} : { user: process.env.NATS_USER, pass: env('NATS_PASSWORD') }
const nc = await connect({ servers: env('NATS_URL', 'nats://127.0.0.1:4222').split(','), name: durable, ...credentials })
const jsm = await jetstreamManager(nc)
const existing = await jsm.consumers.info(stream, durable).catch(() => undefined)
if (existing === undefined) {
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    max_deliver: 5,
    ack_wait: 30_000_000_000,
    ...(process.env.SUBJECT === undefined ? {} : { filter_subject: process.env.SUBJECT }),
    ...startPolicy(env('START', 'all'))
  })
}

// 3. Consume: validate, handle, acknowledge. The event id is the deduplication key: a redelivered event has
//    the same id, so a handler that writes should remember the ids it has applied.
const consumer = await jetstream(nc).consumers.get(stream, durable)
const stopAfter = Number(process.env.STOP_AFTER ?? Infinity)
let handled = 0
const messages = await consumer.consume({ max_messages: 50 })
process.once('SIGTERM', () => { void messages.close() })
for await (const m of messages) {
  let event: { id: string, type: string, version: number, data: unknown }
  try {
    event = m.json()
  } catch {
    console.error(JSON.stringify({ seq: m.seq, problem: 'not JSON' }))
    m.term()
    continue
  }
  const validate = validators.get(`${event.type}.v${event.version}`)
  if (validate === undefined || !validate(event)) {
    // Not a version this subscriber knows, or not valid: set it aside instead of retrying forever.
    console.error(JSON.stringify({ seq: m.seq, id: event.id, problem: validate === undefined ? 'unknown type or version' : ajv.errorsText(validate.errors) }))
    m.term()
  } else {
    console.log(JSON.stringify({ seq: m.seq, id: event.id, type: event.type, version: event.version }))
    m.ack()
  }
  if (++handled >= stopAfter) break
}
await nc.drain()
