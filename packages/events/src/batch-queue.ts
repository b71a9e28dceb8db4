// Gathers a consumer's messages into batches for a handler that applies several at once. A batch starts as
// soon as a worker is free and holds what has arrived meanwhile (up to the batch size): a busy stream gets
// full batches, a quiet one gets its events one by one without waiting for company.

export interface BatchQueue<M> {
  /** Adds a message; resolves once there is room for another (the pull loop's back-pressure). */
  push: (message: M) => Promise<void>
  /** Stops starting batches: waits for those in flight and returns the messages none took. */
  drain: () => Promise<M[]>
}

export function createBatchQueue<M> (options: { size: number, concurrency: number, run: (batch: M[]) => Promise<void> }): BatchQueue<M> {
  const waiting: M[] = []
  const inFlight = new Set<Promise<void>>()
  let closed = false
  let scheduled = false

  const start = (): void => {
    while (!closed && waiting.length > 0 && inFlight.size < options.concurrency) {
      const batch = waiting.splice(0, options.size)
      // run settles its own messages and never rejects; the catch only keeps a bug from killing the loop.
      const p: Promise<void> = options.run(batch).catch(() => {}).finally(() => { inFlight.delete(p); start() })
      inFlight.add(p)
    }
  }
  // The messages of one pull arrive in one burst of microtasks: starting on the next turn of the event loop
  // puts them in one batch instead of the first alone.
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => { scheduled = false; start() })
  }

  return {
    push: async (message) => {
      waiting.push(message)
      if (waiting.length >= options.size) start()
      else schedule()
      while (!closed && waiting.length >= options.size && inFlight.size > 0) await Promise.race(inFlight)
    },
    drain: async () => {
      closed = true
      await Promise.allSettled([...inFlight])
      return waiting.splice(0)
    }
  }
}
