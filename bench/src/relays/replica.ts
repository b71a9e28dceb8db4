// One replica's outbox relay, as a process of its own (scenario 6e): its own pool, session and NATS connection,
// as a service replica has, and its own event loop. Started by relay-replicas.ts, stopped by it over IPC.
import postgres from 'postgres'
import { connect } from '@nats-io/transport-node'
import { startOutboxRelay } from '@dreamseed/events'
import type { ReplicaReply, ReplicaRequest } from './relay-replicas.js'

const { BENCH_DATABASE_URL: databaseUrl, NATS_URL: natsUrl, BENCH_RELAY_PREFIX: prefix, BENCH_RELAY_TABLE: table, BENCH_RELAY_NAME: name } = process.env
if (databaseUrl === undefined || natsUrl === undefined || prefix === undefined || table === undefined || name === undefined) throw new Error('replica: BENCH_DATABASE_URL, NATS_URL, BENCH_RELAY_PREFIX, BENCH_RELAY_TABLE and BENCH_RELAY_NAME are required')
const send = (reply: ReplicaReply): void => { process.send?.(reply) }

const sql = postgres(databaseUrl, { max: 2, onnotice: () => {}, connection: { application_name: name } })
await sql`select 1`
const nc = await connect({ servers: natsUrl.split(','), name })
const quiet = { info: () => {}, warn: (o: unknown, m: string) => { process.stderr.write(`${name}: ${m} ${JSON.stringify(o)}\n`) }, error: () => {} }
// Polled every 20 ms: in a service the relay is poked after each of its own commits; here the rows come from
// the bench, so polling stands in for the pokes.
const relay = startOutboxRelay({ sql, table, prefix, log: quiet, pollMs: 20, connection: { current: () => nc, connected: () => !nc.isClosed() } })
// Ready once a batch has run: the relay's session is open, so what follows is the relay at work.
await relay.drain()
send({ type: 'ready' })

const cpuMs = (): number => { const c = process.cpuUsage(); return (c.user + c.system) / 1000 }
process.on('message', (request: ReplicaRequest) => {
  if (request.type === 'cpu') send({ type: 'cpu', cpuMs: cpuMs() })
  if (request.type !== 'stop') return
  void (async () => {
    const published = relay.published()
    await relay.stop()
    await nc.close()
    await sql.end({ timeout: 5 })
    send({ type: 'stopped', published })
    process.disconnect()
  })()
})
