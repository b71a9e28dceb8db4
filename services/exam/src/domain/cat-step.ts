// The pure part of a session: score an answer, re-estimate ability, and decide what comes next (an item, or
// the end and its result). No I/O and no clock: the caller passes the time, the pool and the bank.
import { createRng, estimateAbility, estimateEapFromGrid, extendGridLogLikelihood, gridLogLikelihood, pendingSetItem, randomInt, selectItem, stopReason } from '@dreamseed/irt'
import type { SessionResult } from '@dreamseed/schema/exam'
import type { OrganizationBank, Pool, RecordedResponse, SessionState } from './model.js'
import { irtItem } from './item-pool.js'
import { ITEM_TYPES } from './scoring.js'
import { effortOf } from './effort.js'

export type StopReasonName = 'max-items' | 'se-target' | 'time-limit' | 'bank-exhausted' | 'all-items'

export type Step =
  | { done: false, itemId: string, pretest: boolean }
  | { done: true, reason: StopReasonName }

/** A different, reproducible stream of random numbers for every step of a session. */
const rngFor = (seed: number, position: number) => createRng((seed ^ Math.imul(position + 1, 0x9e3779b1)) >>> 0)

/** The SE reported where it is infinite (MLE and WLE before the answers carry information): JSON has no Infinity. */
export const MAX_SE = 99

/**
 * EAP's log-likelihood sums over its grid for a session's scored answers (irt's gridLogLikelihood), kept in
 * memory with the session so that the next answer adds its one item instead of summing every answer again (at
 * 200 answers that was most of an answer's CPU). Valid for the responses it was computed from, with that bank
 * version; anything else starts from scratch, and either way the numbers are the same to the bit.
 */
export interface Likelihood {
  bankVersion: number
  /** How many responses (pretest included) the sums cover, and how many of them are scored. */
  responses: number
  scored: number
  values: Float64Array
}

/** The SE capped, and the start value before any scored answer. */
function ability (state: Pick<SessionState, 'exam'>, scored: number, result: { theta: number, se: number }): { theta: number, se: number } {
  const se = Number.isFinite(result.se) ? Math.min(result.se, MAX_SE) : MAX_SE
  return { theta: scored === 0 ? state.exam.settings.startTheta : result.theta, se }
}

/**
 * Counted in the estimate: not a pretest item, an item of this bank version (one retired since no longer
 * counts), and not a rapid guess when the exam leaves those out (`rapidGuesses: 'exclude'`; they are still
 * recorded, scored and counted as given).
 */
const isScored = (state: Pick<SessionState, 'exam'>, bank: OrganizationBank) => {
  const exclude = state.exam.settings.rapidGuesses === 'exclude'
  return (r: RecordedResponse): boolean => !r.pretest && bank.items.has(r.itemId) && !(exclude && r.rapidGuess)
}

/**
 * Ability and its SE from the scored answers; before any, the exam's start value and the prior's SE. `known`:
 * the EAP sums of all the responses but the last (as this returned them for those), which the last extends
 * without going over the others again.
 */
export function estimate (state: Pick<SessionState, 'exam'>, bank: OrganizationBank, responses: RecordedResponse[], known?: Likelihood): { theta: number, se: number, likelihood?: Likelihood } {
  const last = responses.at(-1)
  if (state.exam.settings.estimator === 'EAP' && known !== undefined && known.bankVersion === bank.version && known.responses === responses.length - 1 && last !== undefined) {
    const counts = isScored(state, bank)(last)
    const values = counts ? extendGridLogLikelihood(known.values, irtItem(bank.items.get(last.itemId)!), last.score) : known.values
    const scored = known.scored + (counts ? 1 : 0)
    return { ...ability(state, scored, estimateEapFromGrid(values)), likelihood: { bankVersion: bank.version, responses: responses.length, scored, values } }
  }
  const scored = responses.filter(isScored(state, bank))
  const items = scored.map((r) => irtItem(bank.items.get(r.itemId)!))
  const answers = scored.map((r) => r.score)
  if (state.exam.settings.estimator !== 'EAP') return ability(state, scored.length, estimateAbility(state.exam.settings.estimator, items, answers))
  const values = gridLogLikelihood(items, answers)
  return { ...ability(state, scored.length, estimateEapFromGrid(values)), likelihood: { bankVersion: bank.version, responses: responses.length, scored: scored.length, values } }
}

/** What follows the given responses: the next item, or the end. */
export function nextStep (state: Pick<SessionState, 'exam' | 'seed' | 'deadlineAt'>, pool: Pool, responses: RecordedResponse[], ability: { theta: number, se: number }, now: Date): Step {
  if (state.deadlineAt !== null && now.getTime() >= state.deadlineAt.getTime()) return { done: true, reason: 'time-limit' }
  const answered = new Set(responses.map((r) => r.itemId))
  const enemies = enemiesOf(pool, responses)
  if (state.exam.kind === 'fixed') {
    const itemId = pool.ids.find((id) => !answered.has(id) && !enemies.has(id))
    return itemId === undefined ? { done: true, reason: 'all-items' } : { done: false, itemId, pretest: false }
  }
  const scored = responses.filter((r) => !r.pretest)
  const { stopping, settings } = state.exam
  const { excluded } = pool
  const topicCounts = new Int32Array(pool.bank.topics.length)
  const flagged: number[] = []
  for (const r of scored) {
    const i = pool.index.get(r.itemId)
    if (i === undefined) continue
    excluded[i] = 1
    flagged.push(i)
    const topic = pool.bank.topicOf[i]!
    if (topic >= 0) topicCounts[topic]!++
  }
  for (const id of enemies) {
    const i = pool.index.get(id)
    if (i !== undefined && excluded[i] === 0) { excluded[i] = 1; flagged.push(i) }
  }
  let choice
  try {
    const sets = pool.sets
    if (sets !== undefined) {
      // A passage once begun is finished, its items in order, whatever else is more informative and whatever
      // the SE says; it never runs past the exam's length, as none is begun that would (below).
      const last = scored.at(-1)
      const lastIndex = last === undefined ? undefined : pool.index.get(last.itemId)
      const pending = lastIndex === undefined ? -1 : pendingSetItem(sets, lastIndex, excluded)
      if (pending >= 0 && scored.length < stopping.maxItems) return { done: false, itemId: pool.ids[pending]!, pretest: false }
    }
    const reason = stopReason({ minItems: stopping.minItems, maxItems: stopping.maxItems, ...(stopping.seTarget === undefined ? {} : { seTarget: stopping.seTarget }) }, { itemsAdministered: scored.length, se: ability.se })
    if (reason !== null) return { done: true, reason }
    const rng = rngFor(state.seed, responses.length)
    if (settings.pretestRate > 0 && pool.pretest.length > 0) {
      const given = responses.length - scored.length
      const unseen = pool.pretest.filter((id) => !answered.has(id) && !enemies.has(id))
      if (unseen.length > 0 && given < Math.ceil(stopping.maxItems * settings.pretestRate) && rng.next() < settings.pretestRate) {
        return { done: false, itemId: unseen[randomInt(rng, unseen.length)]!, pretest: true }
      }
    }
    if (sets !== undefined) excludeInnerSetItems(sets, excluded, flagged, stopping.maxItems - scored.length)
    if (pool.sympsonHetter !== undefined) excludeRefused(state.seed, pool, excluded, flagged)
    choice = selectItem(pool.bank, ability.theta, excluded, rng, {
      randomesque: settings.randomesque,
      ...(pool.targets === undefined ? {} : { contentTargets: pool.targets, topicCounts })
    }, pool.scratch)
  } finally {
    for (const i of flagged) excluded[i] = 0
  }
  if (choice.index < 0) return { done: true, reason: 'bank-exhausted' }
  return { done: false, itemId: pool.ids[choice.index]!, pretest: false }
}

/** Ids of the items that are enemies of an item already given (scored or pretest). */
function enemiesOf (pool: Pool, responses: RecordedResponse[]): Set<string> {
  const out = new Set<string>()
  for (const r of responses) for (const e of pool.enemies.get(r.itemId) ?? []) out.add(e)
  return out
}

/**
 * Marks every item of a passage but its first one not yet given (a passage is entered by its first item), and
 * all of a passage whose items left would not fit in the `room` the exam has left.
 */
function excludeInnerSetItems (sets: NonNullable<Pool['sets']>, excluded: Uint8Array, flagged: number[], room: number): void {
  for (const members of sets.members) {
    let left = 0
    for (const i of members) if (excluded[i] === 0) left++
    let first = left <= room
    for (const i of members) {
      if (excluded[i] === 1) continue
      if (first) { first = false; continue }
      excluded[i] = 1
      flagged.push(i)
    }
  }
}

/**
 * Sympson-Hetter as its K are derived (`pnpm --filter @dreamseed/irt exposure`): an item passed over once is
 * not offered again in the session. A session keeps no list of the items it passed over, so each item's draw
 * is made once per session, from the seed and the item id, and an item that loses it is left out of the whole
 * session. That gives every item the same chance of being given as drawing when it is first selected and
 * remembering the refusal: it is given iff it is selected and its one draw is below K. Drawing again at every
 * step instead would give a hot item 1 − (1 − K)^m over its m selections (derived K for 0.25 gave 0.86).
 */
function excludeRefused (seed: number, pool: Pool, excluded: Uint8Array, flagged: number[]): void {
  const k = pool.sympsonHetter!
  for (let i = 0; i < k.length; i++) {
    const ki = k[i]!
    if (ki < 1 && createRng(sessionItemSeed(seed, pool.ids[i]!)).next() >= ki) {
      excluded[i] = 1
      flagged.push(i)
    }
  }
}

/** FNV-1a of the item id, mixed with the session seed: a stream per session and item. */
function sessionItemSeed (seed: number, itemId: string): number {
  let h = 0x811c9dc5 ^ seed
  for (let i = 0; i < itemId.length; i++) h = Math.imul(h ^ itemId.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * The result of a finished session: the last estimate, the scored answers, a breakdown by topic, and its
 * response-time effort (flagged below `effortFlagBelow`).
 */
export function resultOf (bank: OrganizationBank, responses: RecordedResponse[], ability: { theta: number, se: number }, effortFlagBelow: number): SessionResult {
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
  const types = new Map<string, NonNullable<SessionResult['types']>[number]>()
  for (const r of scored) {
    const type = bank.items.get(r.itemId)?.type ?? 'single'
    const entry = types.get(type) ?? { type, answered: 0, correct: 0, score: 0, maxScore: 0 }
    entry.answered++
    if (r.correct) entry.correct++
    entry.score += r.score
    entry.maxScore += r.maxScore
    types.set(type, entry)
  }
  return {
    theta: ability.theta,
    se: ability.se,
    itemsAnswered: scored.length,
    correctCount: scored.filter((r) => r.correct).length,
    topics: [...topics.values()].sort((x, y) => x.topic.localeCompare(y.topic)),
    types: ITEM_TYPES.flatMap((t) => types.get(t) ?? []),
    ...effortOf(responses.length, responses.filter((r) => r.rapidGuess).length, effortFlagBelow)
  }
}
