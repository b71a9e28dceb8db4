// Next-item choice by maximum Fisher information, with exposure control and content
// balancing layered on top. The candidates come from the bank's index, which rules out
// most items without computing their information (pruned-scan.ts); the full scan, one
// pass over flat arrays with one exp per item, is kept as the reference it must equal.

import type { ItemBank } from './bank.js';
import { chooseTopic } from './content-balancing.js';
import { randomesquePick, sympsonHetterAdmits } from './exposure.js';
import type { Rng } from './rng.js';
import { KIND_DICHOTOMOUS, dichotomousInformation, polytomousBankInformation } from './bank-information.js';
import type { Item } from './model.js';
import { collectPruned } from './pruned-scan.js';
import { scanIndexOfTopic, selectionIndex } from './selection-index.js';

export interface SelectionOptions {
  /** Choose uniformly among this many most informative items (1 = plain MFI). */
  readonly randomesque?: number;
  /** Sympson-Hetter exposure parameter K_i per bank item (probability of administering once selected). */
  readonly sympsonHetter?: ArrayLike<number>;
  /** Target proportion per bank topic (see contentTargets()); enables content balancing. */
  readonly contentTargets?: Float64Array;
  /** Items administered so far per bank topic; required with contentTargets. */
  readonly topicCounts?: ArrayLike<number>;
  /**
   * Rank by information averaged over these abilities and weights (summing to 1) instead of
   * at theta: posterior-weighted information (Veerkamp & Berger 1997), for early items while
   * theta is uncertain. Evaluates every eligible item.
   */
  readonly weighted?: { readonly theta: ArrayLike<number>; readonly weight: ArrayLike<number> };
  /**
   * Evaluate every item instead of only those the bank's index cannot rule out. The
   * choice is the same either way; this path is kept to compare against and to time.
   */
  readonly fullScan?: boolean;
}

export interface SelectionResult {
  /** Bank index of the item to administer, or -1 when no eligible item is left. */
  readonly index: number;
  /** Fisher information of that item at theta (0 when index is -1). */
  readonly information: number;
  /** Topic the item was drawn from under content balancing, else -1. */
  readonly topic: number;
  /** Items passed over by Sympson-Hetter in this call (not administered). */
  readonly rejected: readonly number[];
}

/** Reusable working memory for selectItem(); create once per bank. */
export interface SelectionScratch {
  readonly capacity: number;
  readonly topIndex: Int32Array;
  readonly topInfo: Float64Array;
  readonly rejectedMask: Uint8Array;
  readonly exhaustedTopics: Uint8Array;
  /** Items whose information was computed, summed over the calls that used this scratch. */
  readonly evaluated: Float64Array;
}

const BUFFER = 16;
const NONE: readonly number[] = Object.freeze([]);

export function createSelectionScratch(bank: ItemBank, maxRandomesque = 1): SelectionScratch {
  selectionIndex(bank); // built now, once per bank, rather than inside the first selection
  const capacity = Math.max(1, Math.floor(maxRandomesque)) + BUFFER;
  return {
    capacity,
    topIndex: new Int32Array(capacity),
    topInfo: new Float64Array(capacity),
    rejectedMask: new Uint8Array(bank.size),
    exhaustedTopics: new Uint8Array(Math.max(1, bank.topics.length)),
    evaluated: new Float64Array(1),
  };
}

/**
 * Information of bank item i at theta, computed as selection computes it (see
 * bank-information.ts), so a reported information equals the one items were ranked by.
 */
export function bankInformation(bank: ItemBank, i: number, theta: number): number {
  const kind = bank.kind[i] as number;
  if (kind !== KIND_DICHOTOMOUS) return polytomousBankInformation(kind, bank.polyData, bank.polyStart[i] as number, bank.items[i] as Item, bank.D, theta);
  return dichotomousInformation(bank.da[i] as number, bank.b[i] as number, bank.c[i] as number, bank.d[i] as number, bank.span[i] as number, theta);
}

/**
 * Fills scratch.topIndex/topInfo with up to `want` eligible items, most informative
 * first, and returns how many. Eligible: excluded[i] === 0, not rejected in this call,
 * and in `topic` unless topic is -1. Ties keep the lower bank index first.
 * This is the full scan: every eligible item is evaluated, in bank order.
 */
export function collectMostInformative(
  bank: ItemBank,
  theta: number,
  excluded: Uint8Array,
  topic: number,
  want: number,
  scratch: SelectionScratch,
): number {
  const { topIndex, topInfo, rejectedMask } = scratch;
  const { topicOf, da, b, c, d, span, kind, polyData, polyStart, items, D } = bank;
  const mixed = bank.polytomous > 0;
  const n = bank.size;
  let count = 0;
  let evaluated = 0;
  for (let i = 0; i < n; i++) {
    if (excluded[i] !== 0 || rejectedMask[i] !== 0) continue;
    if (topic >= 0 && topicOf[i] !== topic) continue;
    const info = mixed && kind[i] !== KIND_DICHOTOMOUS
      ? polytomousBankInformation(kind[i] as number, polyData, polyStart[i] as number, items[i] as Item, D, theta)
      : dichotomousInformation(da[i] as number, b[i] as number, c[i] as number, d[i] as number, span[i] as number, theta);
    evaluated++;
    count = offerTop(topInfo, topIndex, count, want, info, i);
  }
  scratch.evaluated[0] = (scratch.evaluated[0] as number) + evaluated;
  return count;
}

/**
 * Offers item i with `info` to the descending list of the `count` best (at most `want`): a full list takes it
 * only above its last (and smallest) value, which it replaces. Returns the list's new length.
 */
function offerTop(topInfo: Float64Array, topIndex: Int32Array, count: number, want: number, info: number, i: number): number {
  if (count === want) {
    if (!(info > (topInfo[want - 1] as number))) return count;
  } else {
    count++;
  }
  let pos = count - 1;
  while (pos > 0 && info > (topInfo[pos - 1] as number)) {
    topInfo[pos] = topInfo[pos - 1] as number;
    topIndex[pos] = topIndex[pos - 1] as number;
    pos--;
  }
  topInfo[pos] = info;
  topIndex[pos] = i;
  return count;
}

/** collectMostInformative() ranking by information averaged over `weighted` abilities. */
function collectWeighted(
  bank: ItemBank,
  weighted: NonNullable<SelectionOptions['weighted']>,
  excluded: Uint8Array,
  topic: number,
  want: number,
  scratch: SelectionScratch,
): number {
  const { topIndex, topInfo, rejectedMask } = scratch;
  const { theta, weight } = weighted;
  let count = 0;
  for (let i = 0; i < bank.size; i++) {
    if (excluded[i] !== 0 || rejectedMask[i] !== 0) continue;
    if (topic >= 0 && bank.topicOf[i] !== topic) continue;
    let info = 0;
    for (let q = 0; q < theta.length; q++) info += (weight[q] as number) * bankInformation(bank, i, theta[q] as number);
    count = offerTop(topInfo, topIndex, count, want, info, i);
  }
  return count;
}

/**
 * What collectMostInformative() returns (the same items in the same order), computing the
 * information only of items the bank's index cannot rule out (pruned-scan.ts). A theta
 * that is not finite gets the full scan: there the bounds' arithmetic proves nothing.
 */
export const collectMostInformativePruned: typeof collectMostInformative = (bank, theta, excluded, topic, want, scratch) => {
  if (!Number.isFinite(theta)) return collectMostInformative(bank, theta, excluded, topic, want, scratch);
  const part = topic < 0 ? selectionIndex(bank).all : scanIndexOfTopic(bank, topic);
  if (!part) return 0;
  return collectPruned(bank, part, theta, excluded, want, scratch, scratch.evaluated);
};

/**
 * Chooses the next item for an examinee at `theta`.
 * Order of decisions: content balancing fixes the topic (catR's rule); within it the
 * `randomesque` most informative eligible items are found and one is drawn; under
 * Sympson-Hetter the drawn item is administered with probability K_i, otherwise it is
 * passed over and the choice is repeated without it; if it refuses every eligible item,
 * the most informative refused one with K > 0 is given (refusedFallback). `excluded` marks items that may
 * not be chosen (administered, or passed over earlier); it is only read.
 */
export function selectItem(
  bank: ItemBank,
  theta: number,
  excluded: Uint8Array,
  rng: Rng,
  options: SelectionOptions = {},
  scratch: SelectionScratch = createSelectionScratch(bank, options.randomesque ?? 1),
): SelectionResult {
  if (excluded.length !== bank.size) throw new RangeError('excluded mask must have one entry per item');
  const k = Math.max(1, Math.floor(options.randomesque ?? 1));
  if (k + BUFFER > scratch.capacity) throw new RangeError('scratch too small for this randomesque size');
  const sh = options.sympsonHetter;
  const targets = options.contentTargets;
  const weighted = options.weighted;
  const collect = weighted
    ? (_b: ItemBank, _t: number, ex: Uint8Array, topic: number, want: number, sc: SelectionScratch) => collectWeighted(bank, weighted, ex, topic, want, sc)
    : options.fullScan
      ? collectMostInformative
      : collectMostInformativePruned;
  const { topIndex, topInfo, rejectedMask, exhaustedTopics } = scratch;
  let rejected: number[] | undefined;
  if (targets) exhaustedTopics.fill(0);
  try {
    for (;;) {
      let topic = -1;
      if (targets) {
        topic = chooseTopic(targets, options.topicCounts ?? new Int32Array(targets.length), exhaustedTopics, rng);
        if (topic < 0) return refusedFallback(bank, theta, sh, rejected, rejectedMask, targets !== undefined);
      }
      // Without Sympson-Hetter exactly k candidates are needed; with it, spare ones let
      // rejections be handled without rescanning the bank.
      const want = sh ? k + BUFFER : k;
      for (;;) {
        let count = collect(bank, theta, excluded, topic, want, scratch);
        const full = count === want;
        while (count > 0) {
          const pick = randomesquePick(Math.min(k, count), rng);
          const index = topIndex[pick] as number;
          if (!sh || sympsonHetterAdmits(sh[index] as number, rng)) {
            return result(index, topInfo[pick] as number, topic, rejected);
          }
          rejectedMask[index] = 1;
          (rejected ??= []).push(index);
          topIndex.copyWithin(pick, pick + 1, count);
          topInfo.copyWithin(pick, pick + 1, count);
          count--;
          // Keep the randomesque window complete: rescan once spare candidates run out.
          if (count < k && full) break;
        }
        // A full list may hide further candidates: rescan (rejected items are masked).
        if (!full) break;
      }
      if (topic < 0) return refusedFallback(bank, theta, sh, rejected, rejectedMask, false);
      exhaustedTopics[topic] = 1;
    }
  } finally {
    if (rejected) for (const i of rejected) rejectedMask[i] = 0;
  }
}

/**
 * When Sympson-Hetter refused every item still eligible, the test would end short of its
 * length. Sympson and Hetter avoided that by keeping at least a test's length of items at
 * K = 1; a bank with enemies, sets or content targets can still run out that way, so the
 * most informative refused item with K > 0 is given instead (K = 0 stays "never").
 */
function refusedFallback(
  bank: ItemBank,
  theta: number,
  sh: ArrayLike<number> | undefined,
  rejected: number[] | undefined,
  rejectedMask: Uint8Array,
  byTopic: boolean,
): SelectionResult {
  let best = -1;
  let bestInfo = -Infinity;
  for (const i of rejected ?? NONE) {
    if (!((sh?.[i] as number) > 0)) continue;
    const info = bankInformation(bank, i, theta);
    if (info > bestInfo || (info === bestInfo && i < best)) {
      best = i;
      bestInfo = info;
    }
  }
  if (best < 0 || !rejected) return result(-1, 0, -1, rejected);
  rejectedMask[best] = 0;
  rejected.splice(rejected.indexOf(best), 1);
  return result(best, bestInfo, byTopic ? (bank.topicOf[best] as number) : -1, rejected);
}

function result(index: number, information: number, topic: number, rejected: number[] | undefined): SelectionResult {
  return { index, information, topic, rejected: rejected ?? NONE };
}
