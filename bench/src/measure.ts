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
    a.push(await p.load.run({ ...measured, durationS, warmupS }))
    await settle(p, log)
    b.push(await p.load.run({ ...baseline, durationS, warmupS }))
  }
  return { measured: mergeResults(a), baseline: mergeResults(b) }
}
