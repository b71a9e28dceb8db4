// Polytomous item models exactly as catR's Pi() defines them: Samejima's graded response
// model and the divide-by-total family (partial credit, generalized partial credit,
// rating scale, nominal response). Categories are numbered 0..K like catR's "cat0".."catK".
// Everything is computed as log-probability derivatives, which stay finite and exact where
// a category's probability underflows; probabilities and their derivatives follow from them.

import type { ScoreTerms } from './estimators/score-terms.js';

/** Samejima's GRM: P(X >= k) = logistic(D a (theta - b_k)), b_1 < ... < b_K. catR row: (a, b_1, ..., b_K). */
export interface GradedResponseItem {
  readonly model: 'GRM';
  readonly a: number;
  readonly b: readonly number[];
}
/** Masters' PCM: P_k ∝ exp(sum_{t <= k} D (theta - delta_t)). catR row: (delta_1, ..., delta_K). */
export interface PartialCreditItem {
  readonly model: 'PCM';
  readonly delta: readonly number[];
}
/** Muraki's GPCM: P_k ∝ exp(sum_{t <= k} D a (theta - delta_t)). catR row: (a, delta_1, ..., delta_K). */
export interface GeneralizedPartialCreditItem {
  readonly model: 'GPCM';
  readonly a: number;
  readonly delta: readonly number[];
}
/** Andrich's RSM: P_k ∝ exp(sum_{t <= k} D (theta - (lambda + delta_t))). catR row: (lambda, delta_1, ..., delta_K). */
export interface RatingScaleItem {
  readonly model: 'RSM';
  readonly lambda: number;
  readonly delta: readonly number[];
}
/** Bock's NRM: P_k ∝ exp(a_k theta + c_k) with a_0 = c_0 = 0; catR applies no D. catR row: (a_1, c_1, ..., a_K, c_K). */
export interface NominalResponseItem {
  readonly model: 'NRM';
  readonly a: readonly number[];
  readonly c: readonly number[];
}

export type PolytomousItem =
  | GradedResponseItem
  | PartialCreditItem
  | GeneralizedPartialCreditItem
  | RatingScaleItem
  | NominalResponseItem;
export type PolytomousModel = PolytomousItem['model'];

export const POLYTOMOUS_MODELS: readonly PolytomousModel[] = Object.freeze(['GRM', 'PCM', 'GPCM', 'RSM', 'NRM']);
/** Most steps (categories - 1) an item may have; bounds the scratch memory. */
export const MAX_STEPS = 30;

export function isPolytomousModel(model: unknown): model is PolytomousModel {
  return model === 'GRM' || model === 'PCM' || model === 'GPCM' || model === 'RSM' || model === 'NRM';
}

/** K: the highest category (the number of thresholds or steps). */
export function stepCount(item: PolytomousItem): number {
  switch (item.model) {
    case 'GRM':
      return item.b.length;
    case 'NRM':
      return item.a.length;
    default:
      return item.delta.length;
  }
}

/** A validated copy (arrays copied and frozen, so a caller's later edits cannot reach a bank). */
export function toPolytomousItem(item: PolytomousItem): PolytomousItem {
  const steps = (name: string, v: unknown): readonly number[] => {
    if (!Array.isArray(v) || v.length < 1 || v.length > MAX_STEPS) {
      throw new RangeError(`${item.model} item ${name} must be an array of 1 to ${MAX_STEPS} numbers`);
    }
    for (const x of v) if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`${item.model} item ${name} must be finite numbers`);
    return Object.freeze([...(v as number[])]);
  };
  const slope = (v: unknown): number => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new RangeError(`${item.model} item a must be > 0, got ${String(v)}`);
    return v;
  };
  switch (item.model) {
    case 'GRM': {
      const b = steps('b', item.b);
      for (let k = 1; k < b.length; k++) {
        if (!((b[k] as number) > (b[k - 1] as number))) throw new RangeError('GRM item thresholds b must be strictly increasing');
      }
      return Object.freeze({ model: 'GRM', a: slope(item.a), b });
    }
    case 'PCM':
      return Object.freeze({ model: 'PCM', delta: steps('delta', item.delta) });
    case 'GPCM':
      return Object.freeze({ model: 'GPCM', a: slope(item.a), delta: steps('delta', item.delta) });
    case 'RSM': {
      if (typeof item.lambda !== 'number' || !Number.isFinite(item.lambda)) throw new RangeError('RSM item lambda must be finite');
      return Object.freeze({ model: 'RSM', lambda: item.lambda, delta: steps('delta', item.delta) });
    }
    case 'NRM': {
      const a = steps('a', item.a);
      const c = steps('c', item.c);
      if (a.length !== c.length) throw new RangeError('NRM item needs as many c as a parameters');
      return Object.freeze({ model: 'NRM', a, c });
    }
    default:
      throw new RangeError(`unknown item model ${String((item as { model?: unknown }).model)}`);
  }
}

/**
 * Per category k = 0..K at one theta: P_k and the first three theta-derivatives of
 * log P_k. Filled in place; `count` = K + 1.
 */
export interface CategoryTerms {
  count: number;
  readonly p: Float64Array;
  readonly logP: Float64Array;
  readonly g1: Float64Array;
  readonly g2: Float64Array;
  readonly g3: Float64Array;
}

export function createCategoryTerms(): CategoryTerms {
  const n = MAX_STEPS + 1;
  const f = (): Float64Array => new Float64Array(n);
  return { count: 0, p: f(), logP: f(), g1: f(), g2: f(), g3: f() };
}

export function categoryTerms(theta: number, item: PolytomousItem, D: number, out: CategoryTerms): CategoryTerms {
  if (item.model === 'GRM') return gradedTerms(theta, item, D, out);
  return divideByTotalTerms(theta, item, D, out);
}

/**
 * GRM category k lies between the boundaries z_k = D a (theta - b_k) and z_{k+1}
 * (z_0 = +inf, z_{K+1} = -inf). With L = logistic(z), M = 1 - L:
 *   P_k = L(z_k) M(z_{k+1}) (1 - exp(z_{k+1} - z_k)),
 *   d log P_k = D a (M(z_k) - L(z_{k+1})),  d2 = -(D a)^2 (L M (z_k) + L M (z_{k+1})),
 *   d3 = -(D a)^3 (L M (M - L) (z_k) + L M (M - L) (z_{k+1})),
 * which equal catR's P*_k - P*_{k+1} and its derivatives without the cancellation.
 */
function gradedTerms(theta: number, item: GradedResponseItem, D: number, out: CategoryTerms): CategoryTerms {
  const da = D * item.a;
  const K = item.b.length;
  let zHi = Infinity;
  let lHi = 1;
  let mHi = 0;
  let logLHi = 0;
  for (let k = 0; k <= K; k++) {
    let zLo = -Infinity;
    let lLo = 0;
    let mLo = 1;
    let logMLo = 0;
    if (k < K) {
      zLo = da * (theta - (item.b[k] as number));
      const e = Math.exp(-Math.abs(zLo));
      const inv = 1 / (1 + e);
      lLo = zLo >= 0 ? inv : e * inv;
      mLo = zLo >= 0 ? e * inv : inv;
      logMLo = zLo >= 0 ? -zLo - Math.log1p(e) : -Math.log1p(e);
    }
    // log(1 - exp(zLo - zHi)); a boundary at infinity contributes log 1 = 0.
    const gap = k === 0 || k === K ? 0 : Math.log(-Math.expm1(zLo - zHi));
    const logP = logLHi + logMLo + gap;
    out.logP[k] = logP;
    out.p[k] = Math.exp(logP);
    const lmHi = lHi * mHi;
    const lmLo = lLo * mLo;
    out.g1[k] = da * (mHi - lLo);
    out.g2[k] = -da * da * (lmHi + lmLo);
    out.g3[k] = -da * da * da * (lmHi * (mHi - lHi) + lmLo * (mLo - lLo));
    zHi = zLo;
    lHi = lLo;
    mHi = mLo;
    logLHi = zLo >= 0 ? -Math.log1p(Math.exp(-zLo)) : zLo - Math.log1p(Math.exp(zLo));
  }
  out.count = K + 1;
  return out;
}

const slopes = new Float64Array(MAX_STEPS + 1);

/**
 * Divide-by-total models: P_k ∝ exp(z_k), z_k = s_k theta + t_k with category slope s_k.
 * Then d log P_k = s_k - E[s], d2 = -Var[s], d3 = -E[(s - E[s])^3] (the cumulants of s
 * under P), the closed form of catR's derivative formulas. catR's Pi() leaves D out of
 * s_k for PCM, GPCM and RSM (its derivatives are too small by a factor D when D != 1);
 * the engine keeps it (see the package README).
 */
function divideByTotalTerms(theta: number, item: Exclude<PolytomousItem, GradedResponseItem>, D: number, out: CategoryTerms): CategoryTerms {
  const z = out.logP; // holds z_k until replaced by log P_k
  const K = stepCount(item);
  z[0] = 0;
  slopes[0] = 0;
  for (let k = 1; k <= K; k++) {
    switch (item.model) {
      case 'PCM':
        slopes[k] = D * k;
        z[k] = (z[k - 1] as number) + D * (theta - (item.delta[k - 1] as number));
        break;
      case 'GPCM':
        slopes[k] = D * item.a * k;
        z[k] = (z[k - 1] as number) + D * item.a * (theta - (item.delta[k - 1] as number));
        break;
      case 'RSM':
        slopes[k] = D * k;
        z[k] = (z[k - 1] as number) + D * (theta - (item.lambda + (item.delta[k - 1] as number)));
        break;
      case 'NRM':
        slopes[k] = item.a[k - 1] as number;
        z[k] = (item.a[k - 1] as number) * theta + (item.c[k - 1] as number);
        break;
    }
  }
  let max = -Infinity;
  for (let k = 0; k <= K; k++) if ((z[k] as number) > max) max = z[k] as number;
  let sum = 0;
  for (let k = 0; k <= K; k++) sum += Math.exp((z[k] as number) - max);
  const logSum = max + Math.log(sum);
  let mean = 0;
  for (let k = 0; k <= K; k++) {
    const logP = (z[k] as number) - logSum;
    z[k] = logP;
    const p = Math.exp(logP);
    out.p[k] = p;
    mean += p * (slopes[k] as number);
  }
  let variance = 0;
  let third = 0;
  for (let k = 0; k <= K; k++) {
    const dev = (slopes[k] as number) - mean;
    const p = out.p[k] as number;
    variance += p * dev * dev;
    third += p * dev * dev * dev;
    out.g1[k] = dev;
  }
  for (let k = 0; k <= K; k++) {
    out.g2[k] = -variance;
    out.g3[k] = -third;
  }
  out.count = K + 1;
  return out;
}

/**
 * What the estimators need from one answered item: log P_x, its first two derivatives,
 * and the item's information I = sum P_k g1_k^2, Warm's J = sum P'_k P''_k / P_k and their
 * derivatives (catR's Ii()$dIi and Ji()$dJi), all written as sums over P_k times
 * polynomials in the log-derivatives g1, g2, g3.
 */
export interface AnsweredItemTerms extends ScoreTerms {
  logP: number;
}

export function createAnsweredItemTerms(): AnsweredItemTerms {
  return { logP: 0, score: 0, curvature: 0, info: 0, dInfo: 0, j: 0, dJ: 0 };
}

const shared = createCategoryTerms();

export function answeredItemTerms(theta: number, item: PolytomousItem, D: number, x: number, out: AnsweredItemTerms): AnsweredItemTerms {
  const t = categoryTerms(theta, item, D, shared);
  let info = 0;
  let dInfo = 0;
  let j = 0;
  let dJ = 0;
  for (let k = 0; k < t.count; k++) {
    const p = t.p[k] as number;
    const g1 = t.g1[k] as number;
    const g2 = t.g2[k] as number;
    const g3 = t.g3[k] as number;
    const g1s = g1 * g1;
    info += p * g1s;
    dInfo += p * g1 * (g1s + 2 * g2);
    j += p * g1 * (g1s + g2);
    dJ += p * (g1s * g1s + 4 * g1s * g2 + g2 * g2 + g1 * g3);
  }
  out.logP = t.logP[x] as number;
  out.score = t.g1[x] as number;
  out.curvature = t.g2[x] as number;
  out.info = info;
  out.dInfo = dInfo;
  out.j = j;
  out.dJ = dJ;
  return out;
}

/** Fisher information sum_k P'_k^2 / P_k (catR's Ii() for polytomous models). */
export function polytomousInformation(theta: number, item: PolytomousItem, D: number): number {
  const t = categoryTerms(theta, item, D, shared);
  let info = 0;
  for (let k = 0; k < t.count; k++) info += (t.p[k] as number) * (t.g1[k] as number) * (t.g1[k] as number);
  return info;
}

/** P_0..P_K at theta (a new array). */
export function polytomousProbabilities(theta: number, item: PolytomousItem, D: number): Float64Array {
  const t = categoryTerms(theta, item, D, shared);
  return t.p.slice(0, t.count);
}
