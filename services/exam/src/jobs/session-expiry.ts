// Runs expireDueSessions every few seconds for the life of the app: sessions left open past their deadline
// are ended, their results computed and their completed events written.
export interface SessionExpiry {
  stop: () => Promise<void>
  /** Ends every due session now; returns how many it ended. */
  runOnce: () => Promise<number>
}

export function startSessionExpiry (options: { expire: () => Promise<number>, batch: number, intervalMs: number, ended: (n: number) => void, log: { warn: (o: object, m: string) => void } }): SessionExpiry {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined

  const runOnce = async (): Promise<number> => {
    let total = 0
    for (;;) {
      const n = await options.expire()
      total += n
      if (n > 0) options.ended(n)
      if (n < options.batch || stopped) return total
    }
  }

  const tick = (): void => {
    running = runOnce().catch((err: unknown) => { options.log.warn({ err }, 'session expiry failed; will retry'); return 0 })
    void running.finally(() => { if (!stopped) timer = setTimeout(tick, options.intervalMs) })
  }
  timer = setTimeout(tick, options.intervalMs)
  return {
    runOnce,
    stop: async () => { stopped = true; clearTimeout(timer); await running }
  }
}
