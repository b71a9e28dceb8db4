// Deletes sessions that can no longer be used, in bounded batches (each a short statement on a few rows,
// shared between replicas) instead of one table-wide delete.
import { startBatchJob, type BatchJob } from '@dreamseed/kit'
import type { SessionsRepository } from '../repositories/sessions-repository.js'

export type SessionCleanup = BatchJob

export function startSessionCleanup (options: { sessions: SessionsRepository, intervalMs: number, batch: number, now: () => Date, removed: (n: number) => void, log: { warn: (o: object, m: string) => void } }): SessionCleanup {
  return startBatchJob({
    name: 'session-cleanup',
    batch: options.batch,
    intervalMs: options.intervalMs,
    handled: options.removed,
    log: options.log,
    step: async () => await options.sessions.deleteUnusable(options.now(), options.batch)
  })
}
