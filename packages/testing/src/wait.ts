// Polls until a condition holds: tests wait for asynchronous effects (a mail, a row) without fixed sleeps.
export async function waitFor<T> (fn: () => T | Promise<T>, options: { timeoutMs?: number, intervalMs?: number, what?: string } = {}): Promise<Exclude<NonNullable<T>, false>> {
  const deadline = Date.now() + (options.timeoutMs ?? 15000)
  let last: unknown
  for (;;) {
    try {
      const value = await fn()
      if (value !== undefined && value !== null && value !== false) return value as Exclude<NonNullable<T>, false>
    } catch (err) { last = err }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? 'condition'}${last !== undefined ? `: ${String(last)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50))
  }
}

export const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
