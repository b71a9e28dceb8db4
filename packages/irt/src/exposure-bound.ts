// How much precision an exposure cap costs at best. No item selection can do better under
// a cap than an allocation that knows every examinee's true θ and splits the bank's items
// among them optimally; this bounds that allocation from below, so a design target can be
// shown out of reach for a bank rather than only missed by the designs tried.
//
// The measure is the approximate posterior variance 1 / (1 + test information at the true
// θ) of an N(0, 1) prior, summed over examinees. With x_ij ∈ [0, 1] the share of item j in
// examinee i's test, the relaxation
//   min Σ_i f(Σ_j I_ij x_ij),  f(s) = 1 / (1 + s),
//   Σ_j x_ij = L (test length),  Σ_i x_ij ≤ C (the cap, in examinees),  0 ≤ x_ij ≤ 1,
// is at most the value of every real (0/1) capped allocation. f is convex, so for any
// μ_i ∈ (0, 1] the tangent at s = 1/√μ_i − 1 lies below it: f(s) ≥ 2√μ_i − μ_i − μ_i s.
// Adding λ_j (Σ_i x_ij − C) ≤ 0 for prices λ_j ≥ 0 and minimizing each examinee's linear
// term over Σ_j x_ij = L, 0 ≤ x ≤ 1 (the L smallest coefficients) gives the Lagrangian dual
//   g(λ, μ) = Σ_i [2√μ_i − μ_i + Σ_{L smallest j} (λ_j − μ_i I_ij)] − C Σ_j λ_j,
// a lower bound on the relaxation for EVERY λ ≥ 0 and μ ∈ (0, 1]: the search below for good
// λ and μ only tightens it, and no step of it needs to be optimal for the bound to hold.

import type { ItemBank } from './bank.js';
import { createRng, randomInt } from './rng.js';
import { bankInformation } from './selection.js';

export interface CapBoundOptions {
  /** Items per test. */
  readonly length: number;
  /** The maximum exposure rate: each item may go to at most floor(maxRate · examinees) examinees. */
  readonly maxRate: number;
  /** Subgradient steps on the prices (default 150). */
  readonly iterations?: number;
}

export interface CapBound {
  readonly examinees: number;
  /** Most examinees an item may go to. */
  readonly capacity: number;
  /** Σ_i 1 / (1 + information of examinee i's L most informative items): no cap. */
  readonly uncapped: number;
  /** Lower bound on Σ_i 1 / (1 + information) of every allocation within the cap. */
  readonly lowerBound: number;
  /** Σ_i 1 / (1 + information) of one allocation within the cap (constructed from the prices). */
  readonly feasible: number;
  /** Largest share of examinees the feasible allocation gives one item. */
  readonly feasibleMaxRate: number;
  /** The prices λ the bound was attained with. */
  readonly prices: Float64Array;
}

/** Information of every bank item at every θ, row i = thetas[i]. */
export function informationMatrix(bank: ItemBank, thetas: ArrayLike<number>): Float64Array {
  const m = bank.size;
  const out = new Float64Array(thetas.length * m);
  for (let i = 0; i < thetas.length; i++) {
    const theta = thetas[i] as number;
    for (let j = 0; j < m; j++) out[i * m + j] = bankInformation(bank, j, theta);
  }
  return out;
}

/**
 * Lower bound (dual of the relaxation above) and a feasible allocation for a cap, for
 * examinees at `thetas` who know their θ exactly. Deterministic.
 */
export function exposureCapBound(bank: ItemBank, thetas: ArrayLike<number>, options: CapBoundOptions): CapBound {
  const n = thetas.length;
  const m = bank.size;
  const L = options.length;
  if (!(Number.isInteger(L) && L > 0 && L <= m)) throw new RangeError(`length must be an integer in 1..${m}, got ${L}`);
  if (!(n > 0)) throw new RangeError('give at least one examinee');
  const capacity = Math.floor(options.maxRate * n + 1e-9);
  if (!(capacity * m >= L * n)) throw new RangeError(`a cap of ${options.maxRate} leaves too few administrations for ${n} tests of ${L}`);
  const iterations = options.iterations ?? 150;
  const info = informationMatrix(bank, thetas);
  const top = createTopList(L);
  const values = new Float64Array(m);

  // No cap: each examinee's L most informative items.
  let uncapped = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) values[j] = -(info[i * m + j] as number);
    uncapped += 1 / (1 - smallestSum(values, top));
  }

  const lambda = new Float64Array(m);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Start at the tangent point of the uncapped test.
    for (let j = 0; j < m; j++) values[j] = -(info[i * m + j] as number);
    mu[i] = 1 / (1 - smallestSum(values, top)) ** 2;
  }
  const load = new Float64Array(m);
  let best = -Infinity;
  let bestLambda = lambda.slice();
  // The feasible value is an upper bound on the optimum, so it steers Polyak's step size.
  let upper = feasibleAllocation(info, n, m, L, capacity, lambda, mu, top).value;
  for (let k = 0; k < iterations; k++) {
    const g = dualValue(info, n, m, L, capacity, lambda, mu, top, values, load);
    if (g > best) {
      best = g;
      bestLambda = lambda.slice();
    }
    let norm = 0;
    for (let j = 0; j < m; j++) {
      const sub = (load[j] as number) - capacity;
      // Projected: a price at 0 with spare room has no direction to go.
      if (!((lambda[j] as number) === 0 && sub < 0)) norm += sub * sub;
    }
    if (norm === 0) break; // the prices are optimal: every overloaded item is at capacity
    if (k % 50 === 49) upper = Math.min(upper, feasibleAllocation(info, n, m, L, capacity, bestLambda, mu, top).value);
    // Polyak's step toward the best known upper value, damped (0.3 converged quickest here).
    const step = (Math.max(upper - g, 1e-9 * upper) * 0.3) / norm;
    for (let j = 0; j < m; j++) lambda[j] = Math.max(0, (lambda[j] as number) + step * ((load[j] as number) - capacity));
  }
  const feasible = feasibleAllocation(info, n, m, L, capacity, bestLambda, mu, top);
  return {
    examinees: n,
    capacity,
    uncapped,
    lowerBound: best,
    feasible: Math.min(feasible.value, upper),
    feasibleMaxRate: feasible.maxLoad / n,
    prices: bestLambda,
  };
}

/**
 * g(λ, μ) with each μ_i improved for these λ (written back to `mu`), and in `load` the
 * examinees whose L smallest coefficients include each item (a subgradient is load − C).
 */
function dualValue(
  info: Float64Array,
  n: number,
  m: number,
  L: number,
  capacity: number,
  lambda: Float64Array,
  mu: Float64Array,
  top: TopList,
  values: Float64Array,
  load: Float64Array,
): number {
  load.fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    // h(μ) = 2√μ − μ + min over L items of Σ (λ_j − μ I_ij) is concave in μ; a fixed point of
    // μ ← 1/(1 + s(μ))², s the information of the minimizing items, is its maximum (the
    // tangent there touches f). A few steps from the last μ; every μ tried is a valid bound.
    let m0 = mu[i] as number;
    let bestH = -Infinity;
    let bestMu = m0;
    for (let step = 0; step < 8; step++) {
      for (let j = 0; j < m; j++) values[j] = (lambda[j] as number) - m0 * (info[row + j] as number);
      const sum = smallestSum(values, top);
      const h = 2 * Math.sqrt(m0) - m0 + sum;
      if (h > bestH) {
        bestH = h;
        bestMu = m0;
      }
      let s = 0;
      for (let t = 0; t < L; t++) s += info[row + (top.index[t] as number)] as number;
      const next = 1 / (1 + s) ** 2;
      if (Math.abs(next - m0) <= 1e-12 * next) break;
      m0 = next;
    }
    mu[i] = bestMu;
    for (let j = 0; j < m; j++) values[j] = (lambda[j] as number) - bestMu * (info[row + j] as number);
    smallestSum(values, top);
    for (let t = 0; t < L; t++) load[top.index[t] as number] = (load[top.index[t] as number] as number) + 1;
    total += bestH;
  }
  let priced = 0;
  for (let j = 0; j < m; j++) priced += lambda[j] as number;
  return total - capacity * priced;
}

/**
 * A real allocation within the cap: examinees in a fixed random order each take the L
 * items of best priced value μ_i I_ij − λ_j among those with room left.
 */
function feasibleAllocation(
  info: Float64Array,
  n: number,
  m: number,
  L: number,
  capacity: number,
  lambda: Float64Array,
  mu: Float64Array,
  top: TopList,
): { value: number; maxLoad: number } {
  const room = new Int32Array(m).fill(capacity);
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(1);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const values = new Float64Array(m);
  let value = 0;
  for (const i of order) {
    const row = i * m;
    for (let j = 0; j < m; j++) values[j] = (room[j] as number) > 0 ? (lambda[j] as number) - (mu[i] as number) * (info[row + j] as number) : Infinity;
    // The greedy order can leave fewer than L items with room: then this is no allocation.
    if (smallestSum(values, top) === Infinity) return { value: Infinity, maxLoad: capacity };
    let s = 0;
    for (let t = 0; t < L; t++) {
      const j = top.index[t] as number;
      room[j] = (room[j] as number) - 1;
      s += info[row + j] as number;
    }
    value += 1 / (1 + s);
  }
  let maxLoad = 0;
  for (let j = 0; j < m; j++) maxLoad = Math.max(maxLoad, capacity - (room[j] as number));
  return { value, maxLoad };
}

interface TopList {
  readonly size: number;
  readonly index: Int32Array;
  readonly value: Float64Array;
}

function createTopList(size: number): TopList {
  return { size, index: new Int32Array(size), value: new Float64Array(size) };
}

/** Sum of the `top.size` smallest values (their indices left in top.index; ties: lower index first). */
function smallestSum(values: Float64Array, top: TopList): number {
  const { size, index, value } = top;
  let count = 0;
  for (let j = 0; j < values.length; j++) {
    const v = values[j] as number;
    if (count === size) {
      if (!(v < (value[size - 1] as number))) continue;
    } else {
      count++;
    }
    let pos = count - 1;
    while (pos > 0 && v < (value[pos - 1] as number)) {
      value[pos] = value[pos - 1] as number;
      index[pos] = index[pos - 1] as number;
      pos--;
    }
    value[pos] = v;
    index[pos] = j;
  }
  let sum = 0;
  for (let t = 0; t < count; t++) sum += value[t] as number;
  return sum;
}
