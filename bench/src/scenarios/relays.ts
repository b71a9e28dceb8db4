// Scenario 6e: the outbox relays of two replicas against one, on the same outbox. Each relay is a process of its
// own (relays/replica.ts) with its own pool, session and NATS connection, as in a replica. The outbox is a table
// of the bench's, shaped as auth.outbox (no service relays it), and the events go to a stream of their own that
// nothing consumes, so the relays are all that works. Rates come from the stream's own store times.
import { cpus, loadavg } from 'node:os'
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream'
import { addStream, newEnvelope, newEventId, outboxRow, STREAMS, streamConfig, streamName, userVerifiedV1 } from '@dreamseed/events'
import type { Platform } from '../platform.js'
import { databaseUrl } from '../options.js'
import { summarize } from '../load/jobs.js'
import { ratioOf, type Measure, type Row } from '../report.js'
import { settle } from '../settle.js'
import { startRelayReplicas } from '../relays/relay-replicas.js'
import { machineTicks, processCpuMs } from '../cpu.js'

type Log = (line: string) => void

const USERS = STREAMS.find((s) => s.name === 'USERS')!
export const relaysPrefix = (eventsPrefix: string): string => `${eventsPrefix}relays`
export const relaysStreamName = (eventsPrefix: string): string => streamName(relaysPrefix(eventsPrefix), USERS)

const SCHEMA = 'bench_relays'
const TABLE = `${SCHEMA}.outbox`
// Each user's events spread through the outbox, as a service writes them: ten per user, interleaved.
const EVENTS_PER_USER = 10
const TARGET = 1.6

interface Round {
  times: number[]
  errors: number
  published: number[]
  /** From the write to the last row marked published. */
  drainMs: number
  /** CPU time of the relays' processes and of their Postgres backends (pool and session) while it drained, in ms. */
  relayCpuMs: number
  postgresCpuMs: number
  /** Share of the machine's CPU time (all cores, all processes) that was busy while the outbox drained. */
  machineBusy: number
}

/** One round: `replicas` relays started on an empty outbox, n events written in one transaction, drained. */
async function round (p: Platform, replicas: number, n: number): Promise<Round> {
  const stream = relaysStreamName(p.options.eventsPrefix)
  await p.sql.unsafe(`truncate ${TABLE}`)
  const before = (await (await jetstreamManager(p.nats)).streams.info(stream)).state.last_seq
  const users = Array.from({ length: Math.ceil(n / EVENTS_PER_USER) }, () => newEventId())
  const rows = Array.from({ length: n }, (_, i) => {
    const userId = users[i % users.length]!
    return outboxRow(newEnvelope(userVerifiedV1, { userId, email: `relay-${i}@bench.example.org`, verifiedAt: new Date().toISOString() }), userId)
  })
  const relays = await startRelayReplicas(replicas, { databaseUrl: databaseUrl(p.options), natsUrl: p.options.natsUrl, prefix: relaysPrefix(p.options.eventsPrefix), table: TABLE })
  let published: number[]
  let drained: Pick<Round, 'drainMs' | 'relayCpuMs' | 'postgresCpuMs' | 'machineBusy'>
  try {
    const backends = (await p.sql<Array<{ pid: number }>>`select pid from pg_stat_activity where application_name like 'bench-relay-%'`).map((b) => b.pid)
    const postgresCpu = (): number => backends.reduce((a, pid) => a + processCpuMs(pid), 0)
    const [relayCpu0, postgresCpu0, ticks] = [await relays.cpu(), postgresCpu(), machineTicks()]
    const t0 = performance.now()
    await p.sql.unsafe(`insert into ${TABLE} (id, type, version, aggregate_id, envelope)
      select * from unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[]::jsonb[])`,
    [rows.map((r) => r.id), rows.map((r) => r.type), rows.map((r) => r.version), rows.map((r) => r.aggregateId), rows.map((r) => JSON.stringify(r.envelope))])
    const deadline = Date.now() + 120_000
    for (;;) {
      const [left] = await p.sql.unsafe<Array<{ n: number }>>(`select count(*)::int as n from ${TABLE} where published_at is null`)
      if (left?.n === 0) break
      if (Date.now() > deadline) throw new Error(`6e: ${left?.n} of ${n} events still in the outbox after 120 s`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const drainMs = performance.now() - t0
    const [relayCpu1, postgresCpu1, after] = [await relays.cpu(), postgresCpu(), machineTicks()]
    drained = {
      drainMs,
      relayCpuMs: relayCpu1.reduce((a, ms, i) => a + ms - relayCpu0[i]!, 0),
      postgresCpuMs: postgresCpu1 - postgresCpu0,
      machineBusy: (after.busy - ticks.busy) / Math.max(1, after.all - ticks.all)
    }
  } finally {
    published = await relays.stop()
  }

  // What reached the stream, in stream order: store times, and whether each user's events came once, in order.
  const consumer = await jetstream(p.nats).consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: before + 1 })
  const times: number[] = []
  const arrived = new Map<string, string[]>()
  const messages = await consumer.fetch({ max_messages: n, expires: 10_000 })
  for await (const m of messages) {
    times.push(Number(m.timestampNanos / 1000n) / 1000)
    const e = m.json<{ id: string, data: { userId: string } }>()
    arrived.set(e.data.userId, [...(arrived.get(e.data.userId) ?? []), e.id])
    if (times.length === n) break
  }
  const written = new Map<string, string[]>()
  for (const r of rows) written.set(r.aggregateId, [...(written.get(r.aggregateId) ?? []), r.id])
  const wrongUsers = users.filter((u) => JSON.stringify(arrived.get(u) ?? []) !== JSON.stringify(written.get(u))).length
  return { times, errors: Math.abs(n - times.length) + wrongUsers, published, ...drained }
}

const mean = (rounds: Round[], key: 'machineBusy'): number => rounds.reduce((a, r) => a + r[key], 0) / Math.max(1, rounds.length)
const percent = (x: number): string => `${(100 * x).toFixed(0)}%`
const events = (rounds: Round[]): number => rounds.reduce((a, r) => a + r.times.length, 0)
const perEvent = (rounds: Round[], key: 'relayCpuMs' | 'postgresCpuMs'): string => `${(1000 * rounds.reduce((a, r) => a + r[key], 0) / Math.max(1, events(rounds))).toFixed(0)} µs`
/** A relay process's CPU per event, and how busy each was over the drain (1.0: its event loop never waited). */
const cpuShare = (rounds: Round[], replicas: number): string =>
  `${perEvent(rounds, 'relayCpuMs')} CPU per event, each busy ${percent(rounds.reduce((a, r) => a + r.relayCpuMs, 0) / Math.max(1, replicas * rounds.reduce((a, r) => a + r.drainMs, 0)))} of the drain`

/** Rounds of one side together: events per second of store time, latency columns the gaps between stores. */
function measureOf (rounds: Round[]): Measure {
  const gaps = rounds.flatMap((r) => r.times.slice(1).map((t, i) => t - r.times[i]!))
  const spanMs = rounds.reduce((a, r) => a + (r.times.length > 1 ? r.times[r.times.length - 1]! - r.times[0]! : 0), 0)
  const l = summarize(gaps)
  return { throughput: spanMs > 0 ? gaps.length / (spanMs / 1000) : 0, unit: 'msg/s', p50: l.p50, p95: l.p95, p99: l.p99, errors: rounds.reduce((a, r) => a + r.errors, 0), count: rounds.reduce((a, r) => a + r.times.length, 0) }
}

export async function relayShare (p: Platform, log: Log): Promise<Row> {
  const n = p.options.relayEvents
  const rounds = p.options.short ? 1 : 3
  log(`6e outbox relays, 2 replicas against 1: ${n} events of ${Math.ceil(n / EVENTS_PER_USER)} users, ${rounds} alternating round(s) each`)
  const load = loadavg()[0]!
  await settle(p, log)
  const jsm = await jetstreamManager(p.nats)
  const stream = relaysStreamName(p.options.eventsPrefix)
  await jsm.streams.delete(stream).catch(() => false)
  await addStream(jsm, streamConfig(relaysPrefix(p.options.eventsPrefix), USERS, { maxBytes: 64 * 1024 * 1024 }))
  await p.sql.unsafe(`drop schema if exists ${SCHEMA} cascade`)
  await p.sql.unsafe(`create schema ${SCHEMA}`)
  await p.sql.unsafe(`create table ${TABLE} (like auth.outbox including all)`)
  try {
    const one: Round[] = []
    const two: Round[] = []
    for (let i = 0; i < rounds; i++) {
      one.push(await round(p, 1, n))
      two.push(await round(p, 2, n))
    }
    const single = measureOf(one)
    const pair = measureOf(two)
    const ratio = ratioOf(pair, single)
    const [first, second] = [0, 1].map((i) => two.reduce((a, r) => a + (r.published[i] ?? 0), 0)) as [number, number]
    return {
      id: '6e',
      scenario: 'outbox relays, 2 replicas',
      measured: pair,
      baselineName: 'outbox relay, 1 replica',
      baseline: single,
      ratio,
      target: { text: `ratio ≥ ${TARGET}`, met: ratio !== null && ratio >= TARGET },
      counts: { firstReplica: first, secondReplica: second },
      notes: [
        `${n} user.verified events of ${Math.ceil(n / EVENTS_PER_USER)} users (${EVENTS_PER_USER} each, interleaved) written in one transaction to an outbox the relays poll every 20 ms; each relay a process of its own (pool, session, NATS connection); default batch (100 rows) and share (4 of 16 lanes); rate from the stream's store times, first to last, over ${rounds} round(s) a side, alternating; latency columns are the gaps between consecutive stores`,
        `with 2 replicas the first published ${first} and the second ${second}; errors count events lost or doubled and users whose events arrived out of order`,
        `where the time went (1 replica | 2 replicas): relay processes ${cpuShare(one, 1)} | ${cpuShare(two, 2)}; their Postgres backends ${perEvent(one, 'postgresCpuMs')} | ${perEvent(two, 'postgresCpuMs')} CPU per event; the machine's ${cpus().length} cores ${percent(mean(one, 'machineBusy'))} | ${percent(mean(two, 'machineBusy'))} busy while the outbox drained (everything running, the bench's own services and anything else; load average ${load.toFixed(1)} at the start)`
      ]
    }
  } finally {
    await p.sql.unsafe(`drop schema if exists ${SCHEMA} cascade`)
    await jsm.streams.delete(stream).catch(() => false)
  }
}
