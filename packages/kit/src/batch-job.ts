// A periodic clean-up in bounded batches (expired sessions, sessions past their deadline): each pass runs
// `step` until it handles fewer rows than a batch, so no statement touches the whole table, then waits
// `intervalMs` before the next pass. A failed pass is logged and tried again at the next interval.
export interface BatchJob {
  stop: () => Promise<void>
  /** Runs one full pass now; returns how many rows it handled. */
  runOnce: () => Promise<number>
}

export interface BatchJobOptions {
  name: string
  /** Handles at most `batch` rows; returns how many it handled. */
  step: () => Promise<number>
  batch: number
  intervalMs: number
  handled: (n: number) => void
  log: { warn: (o: object, m: string) => void }
}

export function startBatchJob (options: BatchJobOptions): BatchJob {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined

  const runOnce = async (): Promise<number> => {
    let total = 0
    for (;;) {
      const n = await options.step()
      total += n
      if (n > 0) options.handled(n)
      if (n < options.batch || stopped) return total
    }
  }

  const tick = (): void => {
    running = runOnce().catch((err: unknown) => { options.log.warn({ err, job: options.name }, 'batch job failed; will retry'); return 0 })
    void running.finally(() => { if (!stopped) timer = setTimeout(tick, options.intervalMs) })
  }
  timer = setTimeout(tick, options.intervalMs)
  return {
    runOnce,
    stop: async () => { stopped = true; clearTimeout(timer); await running }
  }
}
