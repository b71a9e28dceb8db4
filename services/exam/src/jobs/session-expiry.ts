// Runs the expiry job's steps every few seconds for the life of the app, in this order: idle sessions are
// suspended (before their deadline is looked at, so a job that fell behind does not end a session whose clock
// had stopped), stopped sessions past their resume window ended, and sessions past their deadline ended.
import { startBatchJob, type BatchJob } from '@dreamseed/kit'

export type SessionExpiry = BatchJob

export interface ExpiryStep {
  /** Handles at most a batch of sessions; returns how many it handled. */
  run: () => Promise<number>
  /** Counts them (a metric per step). */
  handled: (n: number) => void
}

export function startSessionExpiry (options: { steps: ExpiryStep[], batch: number, intervalMs: number, log: { warn: (o: object, m: string) => void } }): SessionExpiry {
  const step = async (): Promise<number> => {
    let total = 0
    for (const s of options.steps) {
      const n = await s.run()
      if (n > 0) s.handled(n)
      total += n
    }
    // Below a batch only when every step is: a step that filled its batch runs again.
    return total
  }
  return startBatchJob({ name: 'session-expiry', step, batch: options.batch, intervalMs: options.intervalMs, handled: () => {}, log: options.log })
}
