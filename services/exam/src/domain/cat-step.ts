// The pure part of a session: score an answer, re-estimate ability, and decide what comes next (an item, or
// the end and its result). No I/O and no clock: the caller passes the time, the pool and the bank.
import { createRng, estimateAbility, randomInt, selectItem, stopReason, type ItemParams } from '@dreamseed/irt'
import type { SessionResult } from '@dreamseed/schema/exam'
import type { BankItem, OrganizationBank, Pool, RecordedResponse, SessionState } from './model.js'

export type StopReasonName = 'max-items' | 'se-target' | 'time-limit' | 'bank-exhausted' | 'all-items'

export type Step =
  | { done: false, itemId: string, pretest: boolean }
  | { done: true, reason: StopReasonName }

/** A different, reproducible stream of random numbers for every step of a session. */
const rngFor = (seed: number, position: number) => createRng((seed ^ Math.imul(position + 1, 0x9e3779b1)) >>> 0)

const params = (item: BankItem): ItemParams => ({ a: item.a, b: item.b, c: item.c, d: item.d })

/** The SE reported where it is infinite (MLE and WLE before the answers carry information): JSON has no Infinity. */
export const MAX_SE = 99

/** Ability and its SE from the scored answers; before any, the exam's start value and the prior's SE. */
export function estimate (state: Pick<SessionState, 'exam'>, bank: OrganizationBank, responses: RecordedResponse[]): { theta: number, se: number } {
  const scored = responses.filter((r) => !r.pretest && bank.items.has(r.itemId))
  const result = estimateAbility(state.exam.settings.estimator, scored.map((r) => params(bank.items.get(r.itemId)!)), scored.map((r) => (r.correct ? 1 : 0)))
  const se = Number.isFinite(result.se) ? Math.min(result.se, MAX_SE) : MAX_SE
  return { theta: scored.length === 0 ? state.exam.settings.startTheta : result.theta, se }
}

/** What follows the given responses: the next item, or the end. */
export function nextStep (state: Pick<SessionState, 'exam' | 'seed' | 'deadlineAt'>, pool: Pool, responses: RecordedResponse[], ability: { theta: number, se: number }, now: Date): Step {
  if (state.deadlineAt !== null && now.getTime() >= state.deadlineAt.getTime()) return { done: true, reason: 'time-limit' }
  const answered = new Set(responses.map((r) => r.itemId))
  if (state.exam.kind === 'fixed') {
    const itemId = pool.ids.find((id) => !answered.has(id))
    return itemId === undefined ? { done: true, reason: 'all-items' } : { done: false, itemId, pretest: false }
  }
  const scored = responses.filter((r) => !r.pretest)
  const { stopping, settings } = state.exam
  const reason = stopReason({ minItems: stopping.minItems, maxItems: stopping.maxItems, ...(stopping.seTarget === undefined ? {} : { seTarget: stopping.seTarget }) }, { itemsAdministered: scored.length, se: ability.se })
  if (reason !== null) return { done: true, reason }
  const rng = rngFor(state.seed, responses.length)
  if (settings.pretestRate > 0 && pool.pretest.length > 0) {
    const given = responses.length - scored.length
    const unseen = pool.pretest.filter((id) => !answered.has(id))
    if (unseen.length > 0 && given < Math.ceil(stopping.maxItems * settings.pretestRate) && rng.next() < settings.pretestRate) {
      return { done: false, itemId: unseen[randomInt(rng, unseen.length)]!, pretest: true }
    }
  }
  const excluded = new Uint8Array(pool.bank.size)
  const topicCounts = new Int32Array(pool.bank.topics.length)
  for (const r of scored) {
    const i = pool.index.get(r.itemId)
    if (i === undefined) continue
    excluded[i] = 1
    const topic = pool.bank.topicOf[i]!
    if (topic >= 0) topicCounts[topic]!++
  }
  if (pool.sympsonHetter !== undefined) excludeRefused(state.seed, pool, excluded)
  const choice = selectItem(pool.bank, ability.theta, excluded, rng, {
    randomesque: settings.randomesque,
    ...(pool.targets === undefined ? {} : { contentTargets: pool.targets, topicCounts })
  }, pool.scratch)
  if (choice.index < 0) return { done: true, reason: 'bank-exhausted' }
  return { done: false, itemId: pool.ids[choice.index]!, pretest: false }
}

/**
 * Sympson-Hetter as its K are derived (`pnpm --filter @dreamseed/irt exposure`): an item passed over once is
 * not offered again in the session. A session keeps no list of the items it passed over, so each item's draw
 * is made once per session, from the seed and the item id, and an item that loses it is left out of the whole
 * session. That gives every item the same chance of being given as drawing when it is first selected and
 * remembering the refusal: it is given iff it is selected and its one draw is below K. Drawing again at every
 * step instead would give a hot item 1 − (1 − K)^m over its m selections (derived K for 0.25 gave 0.86).
 */
function excludeRefused (seed: number, pool: Pool, excluded: Uint8Array): void {
  const k = pool.sympsonHetter!
  for (let i = 0; i < k.length; i++) {
    const ki = k[i]!
    if (ki < 1 && createRng(sessionItemSeed(seed, pool.ids[i]!)).next() >= ki) excluded[i] = 1
  }
}

/** FNV-1a of the item id, mixed with the session seed: a stream per session and item. */
function sessionItemSeed (seed: number, itemId: string): number {
  let h = 0x811c9dc5 ^ seed
  for (let i = 0; i < itemId.length; i++) h = Math.imul(h ^ itemId.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** The result of a finished session: the last estimate, the scored answers, and a breakdown by topic. */
export function resultOf (bank: OrganizationBank, responses: RecordedResponse[], ability: { theta: number, se: number }): SessionResult {
  const scored = responses.filter((r) => !r.pretest)
  const topics = new Map<string, { topic: string, answered: number, correct: number }>()
  for (const r of scored) {
    for (const topic of bank.items.get(r.itemId)?.topics ?? []) {
      const entry = topics.get(topic) ?? { topic, answered: 0, correct: 0 }
      entry.answered++
      if (r.correct) entry.correct++
      topics.set(topic, entry)
    }
  }
  return {
    theta: ability.theta,
    se: ability.se,
    itemsAnswered: scored.length,
    correctCount: scored.filter((r) => r.correct).length,
    topics: [...topics.values()].sort((x, y) => x.topic.localeCompare(y.topic))
  }
}
