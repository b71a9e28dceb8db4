// Moves events from a service's outbox table to JetStream. Rows are claimed with FOR UPDATE SKIP LOCKED so
// the relay can run in every replica; a batch stops at the first failed publish so events keep their order.
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
  let stopped = false
  let wake: (() => void) | undefined
  let pending = false
  if (options.metrics !== undefined) registerOldestPending(options.metrics, options)

  const publishBatch = async (): Promise<{ published: number, more: boolean }> => {
    const nc = options.connection.current()
    if (nc === undefined || !options.connection.connected()) return { published: 0, more: false }
    return await options.sql.begin(async (tx) => {
      const rows = await tx.unsafe<Array<{ id: string, envelope: Envelope }>>(
        `select id, envelope from ${options.table} where published_at is null order by id limit $1 for update skip locked`, [batchSize])
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
