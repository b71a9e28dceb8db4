// Computes items' median response times and rapid-guess thresholds again every EXAM_ITEM_TIMING_INTERVAL_S, for
// the life of the app (domain/item-timing.ts): one statement a pass, and one replica at a time.
import { startBatchJob, type BatchJob } from '@dreamseed/kit'

export type ItemTimingJob = BatchJob

export function startItemTiming (options: { refresh: () => Promise<number>, intervalMs: number, log: { warn: (o: object, m: string) => void } }): ItemTimingJob {
  // One pass is one statement over every item: never a second step in the same pass.
  return startBatchJob({ name: 'item-timing', step: options.refresh, batch: Number.MAX_SAFE_INTEGER, intervalMs: options.intervalMs, handled: () => {}, log: options.log })
}
