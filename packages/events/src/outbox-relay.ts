// Moves events from a service's outbox table to JetStream. The relay runs in every replica at once and still
// keeps each aggregate's events in order: aggregates are hashed into PARTITIONS lanes, and a batch first takes
// the advisory locks of the lanes no other replica holds, then claims only those lanes' rows (oldest first,
// FOR UPDATE SKIP LOCKED). Taking the lanes before the select matters: the select's snapshot is then newer
// than the commit of whichever replica held a lane before, so it never sees that replica's rows as unpublished
// (an advisory lock tried inside the select's WHERE, which we had first, does not give that guarantee).
// A batch stops at the first failed publish, so a lane's later events wait behind the one that failed.
// It wakes when its own service pokes it after a commit, and polls for rows other replicas wrote.
// Given a registry, it exports the age of the oldest event still waiting (the outbox-lag alert).
import type { Sql } from 'postgres'
import { Gauge, type Registry } from 'prom-client'
import type { NatsConnection } from '@nats-io/transport-node'
import { publishEnvelope } from './publish.js'
import type { Envelope } from './envelope.js'
import type { Logger } from './consume.js'

export interface OutboxRelayOptions {
  sql: Sql
  /** schema-qualified table, e.g. auth.outbox */
  table: string
  connection: { current: () => NatsConnection | undefined, connected: () => boolean }
  prefix: string
  log: Logger
  batchSize?: number
  pollMs?: number
  publishTimeoutMs?: number
  /** Where to register dreamseed_outbox_oldest_pending_seconds (the service's /metrics registry). */
  metrics?: Registry
}

// A scrape waits this long for the figure; past it (or with Postgres down) the gauge keeps its last reading.
const AGE_TIMEOUT_MS = 5000

/** Lanes of per-aggregate order: at most this many replicas publish at the same moment. */
export const OUTBOX_PARTITIONS = 16

export interface OutboxRelay {
  /** Publish soon: called after a transaction that wrote to the outbox commits. */
  poke: () => void
  /** Publishes until the outbox is empty or a publish fails; returns how many were published. */
  drain: () => Promise<number>
  stop: () => Promise<void>
}

export function startOutboxRelay (options: OutboxRelayOptions): OutboxRelay {
  if (!/^[a-z_]+\.[a-z_]+$/.test(options.table)) throw new Error(`bad outbox table name ${options.table}`)
  const batchSize = options.batchSize ?? 100
  const pollMs = options.pollMs ?? 500
  // The advisory locks' first key: one space per outbox table, apart from other advisory locks (migrations).
  const lockSpace = hashInt32(`outbox:${options.table}`)
  let stopped = false
  let wake: (() => void) | undefined
  let pending = false
  if (options.metrics !== undefined) registerOldestPending(options.metrics, options)

  const publishBatch = async (): Promise<{ published: number, more: boolean }> => {
    const nc = options.connection.current()
    if (nc === undefined || !options.connection.connected()) return { published: 0, more: false }
    return await options.sql.begin(async (tx) => {
      // Lanes in a random order, so that replicas starting together do not all want the same first lane.
      const lanes = await tx.unsafe<Array<{ lane: number }>>(
        `select lane from (select g as lane from generate_series(0, ${OUTBOX_PARTITIONS - 1}) g order by random()) l
         where pg_try_advisory_xact_lock($1, lane)`, [lockSpace])
      if (lanes.length === 0) return { published: 0, more: false }
      const rows = await tx.unsafe<Array<{ id: string, envelope: Envelope }>>(
        `select id, envelope from ${options.table}
         where published_at is null and ${laneOf('aggregate_id')} = any($2::int[])
         order by id limit $1 for update skip locked`, [batchSize, lanes.map((l) => l.lane)])
      const done: string[] = []
      let failure: { id: string, error: string } | undefined
      for (const row of rows) {
        try {
          await publishEnvelope(nc, options.prefix, row.envelope, options.publishTimeoutMs ?? 5000)
          done.push(row.id)
        } catch (err) {
          failure = { id: row.id, error: (err as Error).message }
          break
        }
      }
      if (done.length > 0) await tx.unsafe(`update ${options.table} set published_at = now(), attempts = attempts + 1 where id = any($1::uuid[])`, [done])
      if (failure !== undefined) {
        await tx.unsafe(`update ${options.table} set attempts = attempts + 1, last_error = $2 where id = $1`, [failure.id, failure.error.slice(0, 500)])
        options.log.warn({ table: options.table, eventId: failure.id, error: failure.error }, 'outbox publish failed; will retry')
      }
      // Lanes held by other replicas are theirs to drain; ours are done when a batch comes back short.
      return { published: done.length, more: failure === undefined && rows.length === batchSize }
    })
  }

  const drain = async (): Promise<number> => {
    let total = 0
    for (;;) {
      const { published, more } = await publishBatch()
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
    stop: async () => {
      stopped = true
      wake?.()
      await loop
      options.metrics?.removeSingleMetric('dreamseed_outbox_oldest_pending_seconds')
    }
  }
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
