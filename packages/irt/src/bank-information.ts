// Fisher information of bank items at the speed item selection needs, from the bank's
// flat arrays. Dichotomous items take one exp() and one division. For polytomous ones the
// parameters are turned into exponentials once, when the bank is built, so that at a
// given theta each GRM or partial-credit-family item costs a single exp() and a few
// multiplications per category, an NRM item one exp() per category (the general code
// takes an exp and a log per category). polytomous.ts
// remains the reference: the result equals model.information(), and where these
// products would overflow (abilities far outside any real scale) that is what is used.

import type { Item } from './model.js';
import { information } from './model.js';
import { MAX_STEPS } from './polytomous.js';
import type { PolytomousItem } from './polytomous.js';

/** How selection computes an item's information: see `compilePolytomous`. */
export const KIND_DICHOTOMOUS = 0;
export const KIND_GRADED = 1;
export const KIND_STEPS = 2;
export const KIND_NOMINAL = 3;

/**
 * Appends what the fast information formulas need to `data` and returns the item's kind.
 * - GRM: [D a, m, K, B_1..B_K, G_1..G_(K-1)] with m the mean threshold,
 *   B_k = exp(D a (b_k - m)) and G_k = 1 - exp(-D a (b_(k+1) - b_k)).
 * - PCM, GPCM, RSM: P_k ∝ exp(sum_(t <= k) s (theta - d_t)) with the slope s (D a or D)
 *   and steps d_t (RSM: lambda + delta_t): [s, m, K, R_1..R_K], m the mean step and
 *   R_t = exp(s (m - d_t)).
 * - NRM: [K, a_1, c_1, ..., a_K, c_K]: its categories have unrelated slopes, so it
 *   needs an exp() per category, but no logarithms.
 */
export function compilePolytomous(item: PolytomousItem, D: number, data: number[]): number {
  switch (item.model) {
    case 'GRM': {
      const da = D * item.a;
      const K = item.b.length;
      const m = item.b.reduce((s, x) => s + x, 0) / K;
      data.push(da, m, K);
      for (const b of item.b) data.push(Math.exp(da * (b - m)));
      for (let k = 0; k + 1 < K; k++) data.push(-Math.expm1(-da * ((item.b[k + 1] as number) - (item.b[k] as number))));
      return KIND_GRADED;
    }
    case 'NRM':
      data.push(item.a.length);
      item.a.forEach((a, k) => data.push(a, item.c[k] as number));
      return KIND_NOMINAL;
    default: {
      const s = item.model === 'GPCM' ? D * item.a : D;
      const shift = item.model === 'RSM' ? item.lambda : 0;
      const K = item.delta.length;
      const m = item.delta.reduce((sum, d) => sum + d + shift, 0) / K;
      data.push(s, m, K);
      for (const d of item.delta) data.push(Math.exp(s * (m - (d + shift))));
      return KIND_STEPS;
    }
  }
}

/**
 * GRM: with x_k = exp(-z_k) = exp(-D a (theta - m)) B_k, L_k = 1 / (1 + x_k), M_k = x_k L_k,
 * P_k = L_k M_(k+1) G_k and d log P_k = D a (M_k - L_(k+1)) (L_0 = 1, M_0 = 0, L_(K+1) = 0):
 * I = (D a)^2 sum_k P_k (M_k - L_(k+1))^2, as in polytomous.ts.
 */
function gradedInformation(data: Float64Array, o: number, theta: number): number {
  const da = data[o] as number;
  const K = data[o + 2] as number;
  const e = Math.exp(-da * (theta - (data[o + 1] as number)));
  let lUp = 1;
  let mUp = 0;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const x = e * (data[o + 3 + k] as number);
    const l = 1 / (1 + x);
    const m = x * l;
    const p = k === 0 ? m : lUp * m * (data[o + 2 + K + k] as number);
    const g = mUp - l;
    sum += p * g * g;
    lUp = l;
    mUp = m;
  }
  return da * da * (sum + lUp * mUp * mUp);
}

/**
 * Partial-credit family: u_0 = 1, u_k = u_(k-1) exp(s (theta - m)) R_k is proportional
 * to P_k, and I = s^2 Var(k), the variance of the category under P (two passes, so a
 * small variance keeps its precision).
 */
function stepsInformation(data: Float64Array, o: number, theta: number): number {
  const s = data[o] as number;
  const K = data[o + 2] as number;
  const e = Math.exp(s * (theta - (data[o + 1] as number)));
  let u = 1;
  let total = 1;
  let first = 0;
  for (let k = 1; k <= K; k++) {
    u *= e * (data[o + 2 + k] as number);
    total += u;
    first += k * u;
  }
  const mean = first / total;
  u = 1;
  let second = mean * mean;
  for (let k = 1; k <= K; k++) {
    u *= e * (data[o + 2 + k] as number);
    second += u * (k - mean) * (k - mean);
  }
  return (s * s * second) / total;
}

/**
 * Dichotomous item information from the bank's arrays (da = D a, r = d - c), model.information()
 * rewritten with a single division. With z = D a (theta - b), e = exp(-|z|), u = 1 + e:
 * P'^2 / (P Q) = (D a (d - c) e)^2 / (u^2 * Pu * Qu), where Pu = P u and Qu = Q u are
 * c u + (d - c) and (1 - d) u + (d - c) e for z >= 0 (e and 1 swap places for z < 0).
 */
export function dichotomousInformation(da: number, b: number, c: number, d: number, r: number, theta: number): number {
  const z = da * (theta - b);
  const e = Math.exp(-Math.abs(z));
  const u = 1 + e;
  let pu: number; // P * u
  let qu: number; // Q * u
  if (z >= 0) {
    pu = c * u + r;
    qu = (1 - d) * u + r * e;
  } else {
    pu = c * u + r * e;
    qu = (1 - d) * u + r;
  }
  const denom = u * u * pu * qu;
  if (!(denom > 0)) return 0;
  const num = da * r * e;
  return (num * num) / denom;
}

const weights = new Float64Array(MAX_STEPS + 1);

/** NRM: P_k ∝ exp(a_k theta + c_k) (a_0 = c_0 = 0) and I = Var(a) under P. */
function nominalInformation(data: Float64Array, o: number, theta: number): number {
  const K = data[o] as number;
  let max = 0;
  for (let k = 1; k <= K; k++) max = Math.max(max, (data[o + 2 * k - 1] as number) * theta + (data[o + 2 * k] as number));
  let total = (weights[0] = Math.exp(-max));
  let first = 0;
  for (let k = 1; k <= K; k++) {
    const w = (weights[k] = Math.exp((data[o + 2 * k - 1] as number) * theta + (data[o + 2 * k] as number) - max));
    total += w;
    first += w * (data[o + 2 * k - 1] as number);
  }
  const mean = first / total;
  let second = (weights[0] as number) * mean * mean;
  for (let k = 1; k <= K; k++) {
    const dev = (data[o + 2 * k - 1] as number) - mean;
    second += (weights[k] as number) * dev * dev;
  }
  return second / total;
}

/** Information of a polytomous bank item; `kind` and `data[o..]` from compilePolytomous(). */
export function polytomousBankInformation(kind: number, data: Float64Array, o: number, item: Item, D: number, theta: number): number {
  const info =
    kind === KIND_GRADED ? gradedInformation(data, o, theta) : kind === KIND_STEPS ? stepsInformation(data, o, theta) : nominalInformation(data, o, theta);
  return info >= 0 && info < Infinity ? info : information(theta, item, D);
}
