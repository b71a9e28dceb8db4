// Deletes sessions that can no longer be used, in bounded batches (each a short statement on a few rows,
// claimed with SKIP LOCKED so replicas share the work) instead of one table-wide delete.
import type { Sql } from 'postgres'
import { startBatchJob, type BatchJob } from '@dreamseed/kit'

export type SessionCleanup = BatchJob

export function startSessionCleanup (options: { sql: Sql, intervalMs: number, batch: number, now: () => Date, removed: (n: number) => void, log: { warn: (o: object, m: string) => void } }): SessionCleanup {
  return startBatchJob({
    name: 'session-cleanup',
    batch: options.batch,
    intervalMs: options.intervalMs,
    handled: options.removed,
    log: options.log,
    step: async () => {
      const now = options.now().toISOString()
      const rows = await options.sql`
        delete from auth.sessions where id in (
          select id from auth.sessions
          where absolute_expires_at < ${now}::timestamptz or idle_expires_at < ${now}::timestamptz or revoked_at is not null
          limit ${options.batch} for update skip locked)
        returning id`
      return rows.length
    }
  })
}
