// Sympson-Hetter exposure parameters derived for one bank and one exam's settings, so the
// exam can promise a maximum exposure rate. Randomesque and plain maximum information leave
// a hot core of items seen by most examinees; K_i, the chance that item i is administered
// once selected, caps each item's rate, but the right K depends on the bank, the selection
// rules and the population, so it is found by simulating them.

import { createCatEngine } from './cat.js';
import type { CatConfig } from './cat.js';
import { itemSetIndex } from './item-sets.js';
import { createRng, randomNormal } from './rng.js';
import type { Rng } from './rng.js';
import { simulateExaminee } from './simulate.js';

export interface SympsonHetterDerivationOptions {
  /** The maximum exposure rate to promise, in (0, 1]. */
  readonly target: number;
  /** Simulated examinees per iteration (default 1000). */
  readonly examinees?: number;
  /** Iterations at most (default 40). */
  readonly maxIterations?: number;
  /**
   * K is derived for target − margin, so that rates which are the target's on average do
   * not exceed it by sampling noise in the next sample of examinees. Default: three standard
   * errors of a rate at the target over `examinees`, 3·√(r(1 − r)/N).
   */
  readonly margin?: number;
  /** Consecutive iterations whose maximum rate must be within the target (default 2). */
  readonly stableIterations?: number;
  readonly seed: number;
  /** True ability of a simulated examinee (default N(0, 1)). */
  readonly drawTheta?: (rng: Rng) => number;
  /**
   * What is derived: Sympson-Hetter K (the default), or item eligibility probabilities
   * (van der Linden & Veldkamp 2004), run as `itemEligibility` and updated by
   * P(E_i) ← min(1, r · P(E_i) / P(A_i)), P(A_i) the share administered item i.
   */
  readonly control?: 'sympson-hetter' | 'eligibility';
}

export interface DerivationIteration {
  readonly iteration: number;
  /** Highest share of examinees administered an item, under the K the iteration ran with. */
  readonly maxExposure: number;
  /** Highest share of examinees for whom an item was selected (administered or passed over). */
  readonly maxSelection: number;
  /** Items with K < 1 after the iteration's update. */
  readonly restricted: number;
  /** RMSE of the final estimates in this iteration's simulation. */
  readonly rmse: number;
}

export interface SympsonHetterDerivation {
  /** K per bank item, in bank order: the values the returned figures were simulated with. */
  readonly k: Float64Array;
  /** Whether the maximum rate stayed within the target for `stableIterations` iterations. */
  readonly converged: boolean;
  /** The iteration whose K is returned. */
  readonly chosen: number;
  readonly target: number;
  readonly aim: number;
  readonly trace: readonly DerivationIteration[];
}

/**
 * The iterative procedure of Sympson and Hetter (1985; described in Hetter & Sympson,
 * "Item exposure control in CAT-ASVAB", in Sands, Waters & McBride (eds.), Computerized
 * Adaptive Testing, APA 1997, ch. 13): start with K_i = 1; simulate the CAT over a sample of
 * examinees with the current K and count, per item, the share P(S_i) of examinees for whom
 * it was selected and P(A_i) for whom it was administered (P(A_i) = K_i·P(S_i)); set
 * K_i = 1 if P(S_i) ≤ r, else r / P(S_i); repeat until the highest P(A_i) stays within the
 * target. Each iteration draws new examinees, so K is not fitted to one sample.
 *
 * Two additions the procedure needs in this engine:
 * - A test must still be completable. Hetter and Sympson keep at least a test's length of
 *   items at K = 1; that is done here too (raising the largest K), and selection gives the
 *   most informative refused item if every eligible one is refused (selection.ts).
 * - An item set is given as a unit, its followers without selection, so it is controlled as
 *   a unit: P(S) of the set is the selections of all its members, and they share its K.
 *
 * Deterministic for a seed. The classical rule is applied: an item passed over is not
 * offered to the same examinee again (cat.ts), so P(S_i) counts examinees.
 */
export function deriveSympsonHetter(config: CatConfig, options: SympsonHetterDerivationOptions): SympsonHetterDerivation {
  const { bank } = config;
  const r = options.target;
  if (!(r > 0 && r <= 1)) throw new RangeError(`target must be in (0, 1], got ${r}`);
  const n = options.examinees ?? 1000;
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`examinees must be a positive integer, got ${n}`);
  const maxIterations = options.maxIterations ?? 40;
  if (!(Number.isInteger(maxIterations) && maxIterations > 0)) throw new RangeError('maxIterations must be a positive integer');
  const stable = options.stableIterations ?? 2;
  const margin = options.margin ?? 3 * Math.sqrt((r * (1 - r)) / n);
  const aim = r - margin;
  if (!(margin >= 0 && aim > 0)) throw new RangeError(`margin must be in [0, target), got ${margin}`);
  const drawTheta = options.drawTheta ?? ((rng: Rng) => randomNormal(rng));
  const minOpen = config.stopping.maxItems ?? 0;
  const sets = config.itemSets ? itemSetIndex(bank, config.itemSets) : undefined;
  const eligibility = options.control === 'eligibility';
  if (eligibility && sets) throw new RangeError('item eligibility is drawn per item: derive it for a bank without item sets');

  // Separate streams: the examinees drawn do not depend on what the CATs consumed.
  const thetaRng = createRng(options.seed * 2 + 1);
  const catRng = createRng(options.seed * 2 + 2);
  let k: Float64Array = new Float64Array(bank.size).fill(1);
  const trace: DerivationIteration[] = [];
  let best: { iteration: number; k: Float64Array; maxExposure: number } = { iteration: 0, k, maxExposure: Infinity };
  let within = 0;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const engine = createCatEngine(eligibility ? { ...config, itemEligibility: k } : { ...config, sympsonHetter: k });
    const selected = new Float64Array(bank.size);
    const administered = new Float64Array(bank.size);
    let squared = 0;
    for (let e = 0; e < n; e++) {
      const theta = drawTheta(thetaRng);
      const result = simulateExaminee(engine, theta, catRng);
      squared += (result.theta - theta) ** 2;
      const last = result.items.length - 1;
      for (let j = 0; j <= last; j++) {
        const i = result.items[j] as number;
        administered[i] = (administered[i] as number) + 1;
        // An item set's followers are given without being selected.
        const previous = j > 0 ? (result.items[j - 1] as number) : -1;
        const followsInSet = sets !== undefined && previous >= 0 && sets.setOf[i] !== -1 && sets.setOf[i] === sets.setOf[previous];
        if (!followsInSet) selected[i] = (selected[i] as number) + 1;
      }
      for (const i of result.passedOver) selected[i] = (selected[i] as number) + 1;
    }
    const maxExposure = max(administered) / n;
    const ran = k;
    k = eligibility ? updatedEligibility(ran, administered, n, aim) : updatedK(selected, n, aim, sets?.members);
    keepCompletable(k, minOpen);
    let restricted = 0;
    for (const v of k) if (v < 1) restricted++;
    trace.push({ iteration, maxExposure, maxSelection: max(selected) / n, restricted, rmse: Math.sqrt(squared / n) });
    if (maxExposure < best.maxExposure) best = { iteration, k: ran, maxExposure };
    within = maxExposure <= r ? within + 1 : 0;
    if (within >= stable) return { k: ran, converged: true, chosen: iteration, target: r, aim, trace };
  }
  return { k: best.k, converged: false, chosen: best.iteration, target: r, aim, trace };
}

/** K_i = 1 if P(S_i) ≤ r, else r / P(S_i); an item set's members share the set's K. */
function updatedK(selected: Float64Array, n: number, r: number, setMembers: readonly Int32Array[] | undefined): Float64Array {
  const k = new Float64Array(selected.length);
  for (let i = 0; i < k.length; i++) k[i] = rule(selected[i] as number, n, r);
  for (const members of setMembers ?? []) {
    let count = 0;
    for (const i of members) count += selected[i] as number;
    const shared = rule(count, n, r);
    for (const i of members) k[i] = shared;
  }
  return k;
}

/** van der Linden & Veldkamp: P(E_i) ← min(1, r · P(E_i) / P(A_i)); an item never given opens fully. */
function updatedEligibility(previous: Float64Array, administered: Float64Array, n: number, r: number): Float64Array {
  const e = new Float64Array(previous.length);
  for (let i = 0; i < e.length; i++) {
    const p = (administered[i] as number) / n;
    e[i] = p > 0 ? Math.min(1, (r * (previous[i] as number)) / p) : 1;
  }
  return e;
}

function rule(selections: number, n: number, r: number): number {
  const p = selections / n;
  return p <= r ? 1 : r / p;
}

/** At least `count` items at K = 1: the largest K below 1 are raised (Hetter & Sympson 1997). */
function keepCompletable(k: Float64Array, count: number): void {
  let open = 0;
  for (const v of k) if (v >= 1) open++;
  if (open >= count) return;
  const order = Array.from(k.keys()).filter((i) => (k[i] as number) < 1).sort((a, b) => (k[b] as number) - (k[a] as number) || a - b);
  for (const i of order.slice(0, count - open)) k[i] = 1;
}

function max(values: Float64Array): number {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  return m;
}

/**
 * The exam setting `sympsonHetter`: item id → K for the items with K < 1 (1 is the
 * default for every item not listed).
 */
export function sympsonHetterSetting(ids: readonly string[], k: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < ids.length; i++) {
    const v = k[i] as number;
    if (v < 1) out[ids[i] as string] = Math.floor(v * 1e6) / 1e6;
  }
  return out;
}
