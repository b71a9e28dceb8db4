// One measurement beside its baseline, taken in alternating rounds (measured, baseline, measured, …) so that
// a noisy neighbour slowing the machine for a while weighs on both sides instead of on one.
import type { LoadJob, LoadResult } from './load/jobs.js'
import { mergeResults } from './load/jobs.js'
import type { Platform } from './platform.js'
import { settle } from './settle.js'

export interface Pair { measured: LoadResult, baseline: LoadResult }

type Job = Omit<LoadJob, 'durationS' | 'warmupS'>

export interface PairOptions {
  /** Run before each round's measured side, before the bench waits for quiet (e.g. to make a cache stale). */
  beforeMeasured?: () => Promise<void>
  /** Run right before and right after each side's load run, settled (e.g. to read CPU counters around it). */
  observe?: (side: keyof Pair, moment: 'start' | 'end') => Promise<void>
}

export async function measurePair (p: Platform, measured: Job, baseline: Job, log: (line: string) => void, options: PairOptions = {}): Promise<Pair> {
  const o = p.options
  const rounds = o.short ? 1 : 3
  const a: LoadResult[] = []
  const b: LoadResult[] = []
  for (let round = 0; round < rounds; round++) {
    // The first round warms up for longer (JIT, pools, caches); later ones only refill the connections.
    const warmupS = round === 0 ? o.warmupS : Math.min(1, o.warmupS)
    const durationS = o.durationS / rounds
    await options.beforeMeasured?.()
    await settle(p, log)
    await options.observe?.('measured', 'start')
    a.push(await p.load.run({ ...measured, durationS, warmupS }))
    await options.observe?.('measured', 'end')
    await settle(p, log)
    await options.observe?.('baseline', 'start')
    b.push(await p.load.run({ ...baseline, durationS, warmupS }))
    await options.observe?.('baseline', 'end')
  }
  return { measured: mergeResults(a), baseline: mergeResults(b) }
}
