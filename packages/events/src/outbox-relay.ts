// Moves events from a service's outbox table to JetStream. The relay runs in every replica at once, and the
// replicas share the work while each aggregate's events still go out in the order they were written.
//
// Lanes. Aggregates are hashed into OUTBOX_PARTITIONS lanes; a lane is owned by whoever holds its advisory
// lock. A batch takes at most lanesPerBatch lanes (a share, not every free lane, so the other replicas find
// lanes to take), choosing among the lanes of the oldest waiting events, the lane of the oldest first.
//
// A batch, on the relay's own Postgres session and never inside a transaction:
//   1. try the lanes' session-level advisory locks;
//   2. select those lanes' oldest unpublished rows (a statement of its own, so its snapshot is newer than the
//      commit of the lanes' previous holder and never shows that holder's rows as unpublished; trying the lock
//      inside the select's WHERE, which we had once, does not give that);
//   3. publish: aggregates side by side, each one's events one after another, each sent only once the previous
//      one is acknowledged; an aggregate stops at its first failed publish and its later events wait for the
//      next batch;
//   4. mark what was acknowledged as published, note the failures;
//   5. let go of the lanes (pg_advisory_unlock_all: the session is the relay's alone).
// Nothing is held open across the network waits of step 3 but the session itself.
//
// Why order holds, even when two relays publish the same lane (a session that died and let its locks go while
// its owner was still publishing): every relay sends, per aggregate, the oldest rows it sees unpublished, in id
// order, each after the previous one's ack, and a row is marked published only after its ack. So an event
// reaches the stream only after every earlier event of its aggregate is on it, and a repeat of an event that is
// already there is dropped by the stream's duplicate window (the envelope id is the Nats-Msg-Id): a crash
// between the ack and the mark only costs a repeat. The locks split the work, and keep a relay from repeating
// what a lane's last holder just published; the order does not rest on them.
//
// Why a session of its own rather than a connection reserved from the pool (postgres.js sql.reserve()): a
// reserved connection whose server process ends (a Postgres restart during a batch) leaves its next query
// waiting forever, and releasing it puts a dead connection back into the service's pool (porsager/postgres
// #1199). The relay's single connection, built from the pool's settings, reconnects like any pool; locks lost
// with a dead session cost at most some repeats, as above. It is one connection per replica beside the pool.
//
// It wakes when its own service pokes it after a commit, and polls for rows other replicas wrote.
// Given a registry, it exports the age of the oldest event still waiting (the outbox-lag alert).
import postgres, { type Sql } from 'postgres'
import { Gauge, type Registry } from 'prom-client'
import type { NatsConnection } from '@nats-io/transport-node'
import { publishEnvelope } from './publish.js'
import type { Envelope } from './envelope.js'
import type { Logger } from './consume.js'

export interface OutboxRelayOptions {
  /** The service's pool: the relay's own session is opened with its settings. */
  sql: Sql
  /** schema-qualified table, e.g. auth.outbox */
  table: string
  connection: { current: () => NatsConnection | undefined, connected: () => boolean }
  prefix: string
  log: Logger
  batchSize?: number
  /** Lanes one batch takes at most (of OUTBOX_PARTITIONS). */
  lanesPerBatch?: number
  pollMs?: number
  publishTimeoutMs?: number
  /** Where to register dreamseed_outbox_oldest_pending_seconds (the service's /metrics registry). */
  metrics?: Registry
}

// A scrape waits this long for the figure; past it (or with Postgres down) the gauge keeps its last reading.
const AGE_TIMEOUT_MS = 5000

/** Lanes of per-aggregate order. */
export const OUTBOX_PARTITIONS = 16

/** A quarter of the lanes per batch: four replicas can publish side by side. */
export const OUTBOX_LANES_PER_BATCH = 4

// Lanes with events waiting are looked for among this many of the oldest unpublished rows per batch row: finding
// them costs the same with a backlog of a million rows as with a hundred, and with events spread over many
// aggregates four batches' worth show every lane.
const LOOKAHEAD_PER_ROW = 4

export interface OutboxRelay {
  /** Publish soon: called after a transaction that wrote to the outbox commits. */
  poke: () => void
  /** Publishes until no free lane has events waiting or a publish fails; returns how many were published. */
  drain: () => Promise<number>
  /** Events this relay has published since it started (its share of the outbox). */
  published: () => number
  stop: () => Promise<void>
}

interface OutboxRow { id: string, aggregate_id: string, envelope: Envelope }

// The batch's statements run for every event or two: prepared, each is one round trip, where postgres.js runs
// an unprepared statement with parameters as two (a Describe, then the execution).
const PREPARED = { prepare: true }
interface Failure { id: string, error: string }

export function startOutboxRelay (options: OutboxRelayOptions): OutboxRelay {
  if (!/^[a-z_]+\.[a-z_]+$/.test(options.table)) throw new Error(`bad outbox table name ${options.table}`)
  const batchSize = options.batchSize ?? 100
  const lanesPerBatch = options.lanesPerBatch ?? OUTBOX_LANES_PER_BATCH
  const pollMs = options.pollMs ?? 500
  const publishTimeoutMs = options.publishTimeoutMs ?? 5000
  // The advisory locks' first key: one space per outbox table, apart from other advisory locks (migrations).
  const lockSpace = hashInt32(`outbox:${options.table}`)
  const session = ownSession(options.sql)
  let stopped = false
  let wake: (() => void) | undefined
  let pending = false
  let publishedTotal = 0
  // One batch at a time per relay (the loop and drain() callers): session-level locks are reentrant, so two
  // batches on the one session could both take the same lane.
  let previous: Promise<unknown> = Promise.resolve()
  if (options.metrics !== undefined) registerOldestPending(options.metrics, options)

  const takeLanes = async (): Promise<number[]> => {
    // The lanes go into a materialized CTE so that each lock is tried in the outer scan, row by row until the
    // limit: written as a plain subquery, Postgres pushes the WHERE down into its GROUP BY (as a HAVING) and
    // tries every lane's lock before the limit applies.
    const rows = await session.unsafe<Array<{ lane: number }>>(
      `with waiting as materialized (
         select ${laneOf('aggregate_id')} as lane
         from (select aggregate_id, created_at from ${options.table} where published_at is null order by id limit $3) oldest
         group by 1 order by min(created_at))
       select lane from waiting where pg_try_advisory_lock($1, lane) limit $2`, [lockSpace, lanesPerBatch, batchSize * LOOKAHEAD_PER_ROW], PREPARED)
    return rows.map((r) => r.lane)
  }

  const publishBatch = async (): Promise<{ published: number, more: boolean }> => {
    const nc = options.connection.current()
    if (nc === undefined || !options.connection.connected()) return { published: 0, more: false }
    let lanes: number[] | undefined
    try {
      lanes = await takeLanes()
      if (lanes.length === 0) return { published: 0, more: false }
      const rows = await session.unsafe<OutboxRow[]>(
        `select id, aggregate_id, envelope from ${options.table}
         where published_at is null and ${laneOf('aggregate_id')} = any($2::int[])
         order by id limit $1`, [batchSize, lanes], PREPARED)
      const { done, failures } = await publishInOrder(nc, options.prefix, rows, publishTimeoutMs)
      if (done.length > 0) await session.unsafe(`update ${options.table} set published_at = now(), attempts = attempts + 1 where id = any($1::uuid[])`, [done], PREPARED)
      if (failures.length > 0) {
        await session.unsafe(
          `update ${options.table} o set attempts = attempts + 1, last_error = f.error
           from unnest($1::uuid[], $2::text[]) f(id, error) where o.id = f.id`,
          [failures.map((f) => f.id), failures.map((f) => f.error.slice(0, 500))])
        options.log.warn({ table: options.table, eventId: failures[0]!.id, error: failures[0]!.error, failed: failures.length }, 'outbox publish failed; will retry')
      }
      publishedTotal += done.length
      // Other lanes may have events waiting: the next batch looks. When nothing went out and something failed
      // (NATS away), the next poll tries again; one aggregate that keeps failing does not hold up the others.
      return { published: done.length, more: done.length > 0 || failures.length === 0 }
    } finally {
      // Also after a failed statement: a lock taken by a statement that then failed is still held. Only when
      // takeLanes answered no lane is none held (every lock it tried was refused), which is every idle poll
      // and the look that ends each drain.
      if (lanes === undefined || lanes.length > 0) await session.unsafe('select pg_advisory_unlock_all()')
    }
  }

  const oneBatch = async (): Promise<{ published: number, more: boolean }> => {
    const run = previous.then(publishBatch)
    previous = run.catch(() => {})
    return await run
  }

  const drain = async (): Promise<number> => {
    let total = 0
    for (;;) {
      const { published, more } = await oneBatch()
      total += published
      if (!more) return total
    }
  }

  const loop = (async () => {
    while (!stopped) {
      pending = false
      try {
        await drain()
      } catch (err) {
        options.log.warn({ err, table: options.table }, 'outbox relay batch failed')
      }
      if (stopped) break
      if (pending) continue
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs)
        wake = () => { clearTimeout(timer); resolve() }
      })
      wake = undefined
    }
  })()

  return {
    poke: () => { pending = true; wake?.() },
    drain,
    published: () => publishedTotal,
    stop: async () => {
      stopped = true
      wake?.()
      await loop
      await previous
      await session.end({ timeout: 5 })
      options.metrics?.removeSingleMetric('dreamseed_outbox_oldest_pending_seconds')
    }
  }
}

/**
 * Publishes a batch: the aggregates side by side, each aggregate's rows (in id order) one after another, and
 * an aggregate's later rows not at all once one of its publishes failed.
 */
async function publishInOrder (nc: NatsConnection, prefix: string, rows: OutboxRow[], timeoutMs: number): Promise<{ done: string[], failures: Failure[] }> {
  const byAggregate = new Map<string, OutboxRow[]>()
  for (const row of rows) {
    const chain = byAggregate.get(row.aggregate_id)
    if (chain === undefined) byAggregate.set(row.aggregate_id, [row])
    else chain.push(row)
  }
  const done: string[] = []
  const failures: Failure[] = []
  await Promise.all([...byAggregate.values()].map(async (chain) => {
    for (const row of chain) {
      try {
        await publishEnvelope(nc, prefix, row.envelope, timeoutMs)
        done.push(row.id)
      } catch (err) {
        failures.push({ id: row.id, error: (err as Error).message })
        return
      }
    }
  }))
  return { done, failures }
}

/**
 * The relay's own connection, with the pool's server, credentials and connection parameters: the lane locks
 * live as long as a session, and this one is the relay's alone (so it may let go of all its locks at once).
 */
function ownSession (pool: Sql): Sql {
  const o = pool.options
  return postgres({
    // "host:port,host:port", as a URL names several servers
    host: o.host.map((host, i) => `${host}:${o.port[i] ?? o.port[0] ?? 5432}`).join(','),
    // false when not a Unix socket
    path: o.path || undefined,
    database: o.database,
    user: o.user,
    // typed null in ParsedOptions, which hides it; it holds the password (or the function giving it)
    pass: (o as unknown as { pass: postgres.Options<Record<string, never>>['pass'] }).pass,
    ssl: o.ssl,
    connect_timeout: o.connect_timeout,
    idle_timeout: o.idle_timeout,
    max_lifetime: o.max_lifetime,
    connection: { ...o.connection, application_name: `${String(o.connection.application_name)}-relay`.slice(0, 63) },
    max: 1,
    // as the kit's pools: a notice is nothing the relay acts on, and must not reach stdout
    onnotice: () => {}
  })
}

/**
 * Read at every scrape: seconds since the oldest unpublished row was written, 0 when everything is out.
 * The whole table's age, not this replica's: every replica reports the same figure. No "service" label:
 * Prometheus adds it from the scraped Service.
 */
function registerOldestPending (registry: Registry, options: OutboxRelayOptions): void {
  const query = `select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age from ${options.table} where published_at is null`
  // Kept by the registry, which calls collect() at every scrape.
  new Gauge({
    name: 'dreamseed_outbox_oldest_pending_seconds',
    help: 'Seconds since the oldest event in this service\'s outbox that is not on NATS yet was written (0: none waiting)',
    registers: [registry],
    async collect () {
      let timer: NodeJS.Timeout | undefined
      try {
        const rows = await Promise.race([
          options.sql.unsafe<Array<{ age: number }>>(query),
          new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${AGE_TIMEOUT_MS} ms`)), AGE_TIMEOUT_MS) })
        ])
        this.set(Math.max(0, rows[0]?.age ?? 0))
      } catch (err) {
        options.log.warn({ err, table: options.table }, 'outbox age not read for /metrics')
      } finally {
        clearTimeout(timer)
      }
    }
  })
}

/** The lane of an aggregate, as SQL over a text column: stable across processes (Postgres' hashtext). */
function laneOf (column: string): string {
  return `(hashtext(${column}) & 2147483647) % ${OUTBOX_PARTITIONS}`
}

/** A stable 32-bit integer for a name (FNV-1a), for the first key of two-key advisory locks. */
function hashInt32 (name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}
