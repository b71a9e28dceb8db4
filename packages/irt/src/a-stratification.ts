// The a-stratified design with b-blocking (Chang & Ying 1999; Chang, Qian & Ying 2001):
// the bank is cut into strata of rising discrimination and a test draws its first items
// from the least discriminating stratum, its last from the most. Early on θ̂ is poor and a
// high-a item's information is spent at the wrong θ; low-a items are nearly as good there
// and would otherwise never be used, while the high-a items are kept for when θ̂ is close.

import type { ItemBank } from './bank.js';
import { isPolytomous } from './model.js';

export interface AStratification {
  /** Number of strata, stratum 0 the least discriminating. */
  readonly strata: number;
  /** Stratum of each bank item. */
  readonly stratumOf: Int32Array;
  /** Items a test takes from each stratum, in order (the last stratum takes any further items). */
  readonly lengths: readonly number[];
}

export interface AStratifiedDesign {
  /** Strata (at least 2). */
  readonly strata: number;
  /** Items per stratum, low a first; default the test's maximum length split evenly (more in the later strata). */
  readonly lengths?: readonly number[];
}

/**
 * Strata with b-blocking: items sorted by difficulty, taken in blocks of `strata`, and
 * within a block the i-th lowest a goes to stratum i, so every stratum spans the whole
 * range of b (without it the high-a stratum would lack easy and hard items where a and b
 * are correlated). A polytomous item's discrimination is its a (the mean of an NRM's
 * slopes, 1 for PCM and RSM) and its difficulty the mean of its thresholds or steps.
 */
export function aStratification(bank: ItemBank, design: AStratifiedDesign, maxItems: number | undefined): AStratification {
  const strata = design.strata;
  if (!(Number.isInteger(strata) && strata >= 2 && strata <= bank.size)) throw new RangeError(`strata must be an integer in 2..${bank.size}, got ${strata}`);
  let lengths: number[];
  if (design.lengths) {
    lengths = [...design.lengths];
    if (lengths.length !== strata || !lengths.every((l) => Number.isInteger(l) && l >= 0)) {
      throw new RangeError(`lengths must give a whole number of items for each of the ${strata} strata`);
    }
  } else {
    if (maxItems === undefined) throw new RangeError('an a-stratified design without lengths needs stopping.maxItems');
    const base = Math.floor(maxItems / strata);
    const extra = maxItems - base * strata;
    lengths = Array.from({ length: strata }, (_, s) => base + (s >= strata - extra ? 1 : 0));
  }
  const order = Array.from(bank.items.keys()).sort((i, j) => difficulty(bank, i) - difficulty(bank, j) || i - j);
  const stratumOf = new Int32Array(bank.size);
  for (let start = 0; start < order.length; start += strata) {
    const block = order.slice(start, start + strata).sort((i, j) => discrimination(bank, i) - discrimination(bank, j) || i - j);
    // A last, short block fills the highest strata, so the low ones are not the only ones to grow.
    const offset = strata - block.length;
    block.forEach((item, s) => (stratumOf[item] = s + offset));
  }
  return { strata, stratumOf, lengths };
}

/** The stratum the next item comes from after `given` items. */
export function stratumAt(design: AStratification, given: number): number {
  let cumulative = 0;
  for (let s = 0; s < design.strata; s++) {
    cumulative += design.lengths[s] as number;
    if (given < cumulative) return s;
  }
  return design.strata - 1;
}

/**
 * `mask` becomes `excluded` with every item outside `stratum` excluded too; returns
 * whether any item of the stratum is left.
 */
export function maskToStratum(design: AStratification, stratum: number, excluded: Uint8Array, mask: Uint8Array): boolean {
  let open = false;
  const { stratumOf } = design;
  for (let i = 0; i < mask.length; i++) {
    const out = excluded[i] !== 0 || stratumOf[i] !== stratum;
    mask[i] = out ? 1 : 0;
    if (!out) open = true;
  }
  return open;
}

function discrimination(bank: ItemBank, i: number): number {
  const item = bank.items[i];
  if (!item || !isPolytomous(item)) return bank.a[i] as number;
  if (item.model === 'NRM') return item.a.reduce((s, v) => s + v, 0) / item.a.length;
  return 'a' in item ? item.a : 1;
}

function difficulty(bank: ItemBank, i: number): number {
  const item = bank.items[i];
  if (!item || !isPolytomous(item)) return bank.b[i] as number;
  const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  switch (item.model) {
    case 'GRM':
      return mean(item.b);
    case 'RSM':
      return item.lambda + mean(item.delta);
    case 'NRM':
      return 0; // no single difficulty: NRM items are blocked by discrimination alone
    default:
      return mean(item.delta);
  }
}
