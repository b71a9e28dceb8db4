// Deletes sessions that can no longer be used, in bounded batches (each a short statement on a few rows,
// claimed with SKIP LOCKED so replicas share the work) instead of one table-wide delete.
import type { Sql } from 'postgres'

export interface SessionCleanup {
  stop: () => Promise<void>
  /** Runs one full pass now; returns how many sessions it removed. */
  runOnce: () => Promise<number>
}

export function startSessionCleanup (options: { sql: Sql, intervalMs: number, batch: number, now: () => Date, removed: (n: number) => void, log: { warn: (o: object, m: string) => void } }): SessionCleanup {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined

  const runOnce = async (): Promise<number> => {
    let total = 0
    for (;;) {
      const now = options.now().toISOString()
      const rows = await options.sql`
        delete from auth.sessions where id in (
          select id from auth.sessions
          where absolute_expires_at < ${now}::timestamptz or idle_expires_at < ${now}::timestamptz or revoked_at is not null
          limit ${options.batch} for update skip locked)
        returning id`
      total += rows.length
      if (rows.length > 0) options.removed(rows.length)
      if (rows.length < options.batch || stopped) return total
    }
  }

  const tick = (): void => {
    running = runOnce().catch((err: unknown) => { options.log.warn({ err }, 'session cleanup failed; will retry'); return 0 })
    void running.finally(() => { if (!stopped) timer = setTimeout(tick, options.intervalMs) })
  }
  timer = setTimeout(tick, options.intervalMs)
  return {
    runOnce,
    stop: async () => { stopped = true; clearTimeout(timer); await running }
  }
}
