// Items' rapid-guess thresholds, computed again from time to time by a job of every replica (one at a time):
// Wise & Ma's (2012) normative threshold NT10, a share (10%) of the item's typical response time, with the
// median as the typical time (robust to the few answers left open for minutes), bounded below by a floor and
// above by a cap (their 10 seconds); an item with too few responses in completed sessions keeps the default
// (effort.ts). Sessions read an item's threshold when they show it, so a refresh changes items shown after it.
import type { ExamDeps } from './deps.js'
import type { TimingRules } from '../repositories/item-timing-repository.js'

export type { TimingRules }

/** Items whose timing was written; 0 when another replica was refreshing at that moment (it writes the same). */
export async function refreshItemTiming (deps: ExamDeps, rules: TimingRules): Promise<number> {
  const now = deps.now()
  return await deps.repos.transaction(async (tx) => await tx.itemTiming.refresh(rules, now)) ?? 0
}
