// Item response functions and Fisher information, written once in a numerically stable
// form so estimators, selection and simulation cannot drift apart: the dichotomous 4PL
// here, the polytomous models in polytomous.ts, and `Item` for a bank that mixes them.

import { isPolytomousModel, polytomousInformation, polytomousProbabilities, stepCount, toPolytomousItem } from './polytomous.js';
import type { PolytomousItem } from './polytomous.js';

export type DichotomousModel = '1PL' | '2PL' | '3PL' | '4PL';

/** Parameters of a dichotomous item: 1PL/2PL/3PL are 4PL with a = 1, c = 0, d = 1. */
export interface ItemParams {
  /** Optional label; an item without `model` is dichotomous. */
  readonly model?: DichotomousModel;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

/** Item as it may be written by hand or stored: missing a, c, d take their 1PL/2PL defaults. */
export interface ItemInput {
  /** When given, the parameters must fit it (a 2PL item has c = 0 and d = 1, ...). */
  readonly model?: DichotomousModel;
  readonly a?: number;
  readonly b: number;
  readonly c?: number;
  readonly d?: number;
}

/** Logistic metric (1) or the normal-ogive approximation (1.702, Haley 1952). */
export const D_LOGISTIC = 1;
export const D_NORMAL = 1.702;

/** Any item: dichotomous (no `model`, or '1PL'..'4PL') or polytomous ('GRM', 'PCM', 'GPCM', 'RSM', 'NRM'). */
export type Item = ItemParams | PolytomousItem;
export type AnyItemInput = ItemInput | PolytomousItem;

export function isPolytomous(item: Item | AnyItemInput): item is PolytomousItem {
  return isPolytomousModel(item.model);
}

const FIXED: Readonly<Record<DichotomousModel, { a?: 1; c?: 0; d?: 1 }>> = {
  '1PL': { a: 1, c: 0, d: 1 },
  '2PL': { c: 0, d: 1 },
  '3PL': { d: 1 },
  '4PL': {},
};

export function toItemParams(item: ItemInput): ItemParams {
  const p = { a: item.a ?? 1, b: item.b, c: item.c ?? 0, d: item.d ?? 1 };
  if (!(p.a > 0) || !Number.isFinite(p.a)) throw new RangeError(`item a must be > 0, got ${p.a}`);
  if (!Number.isFinite(p.b)) throw new RangeError(`item b must be finite, got ${p.b}`);
  if (!(p.c >= 0 && p.c < p.d && p.d <= 1)) {
    throw new RangeError(`item needs 0 <= c < d <= 1, got c=${p.c} d=${p.d}`);
  }
  if (item.model !== undefined) {
    const fixed = FIXED[item.model];
    if (!fixed) throw new RangeError(`unknown item model ${String(item.model)}`);
    for (const key of ['a', 'c', 'd'] as const) {
      if (fixed[key] !== undefined && p[key] !== fixed[key]) throw new RangeError(`a ${item.model} item has ${key} = ${fixed[key]}, got ${p[key]}`);
    }
  }
  return p;
}

/** A validated item of any model (a copy; dichotomous items come back as plain 4PL parameters). */
export function toItem(input: AnyItemInput): Item {
  return isPolytomous(input) ? toPolytomousItem(input) : toItemParams(input);
}

/** Number of response categories: 2 for a dichotomous item, K + 1 for a polytomous one. */
export function categoryCount(item: Item): number {
  return isPolytomous(item) ? stepCount(item) + 1 : 2;
}

/**
 * Probability of answering in `category` (default 1: a correct answer). Dichotomous:
 * P(theta) = c + (d - c) / (1 + exp(-D a (theta - b))) and Q = 1 - P for category 0.
 */
export function probability(theta: number, item: Item, D = D_LOGISTIC, category = 1): number {
  if (isPolytomous(item)) {
    const p = polytomousProbabilities(theta, item, D)[category];
    if (p === undefined || !Number.isInteger(category)) throw new RangeError(`no category ${category} in a ${item.model} item`);
    return p;
  }
  const z = D * item.a * (theta - item.b);
  if (category === 1) return item.c + (item.d - item.c) * logistic(z);
  if (category === 0) return 1 - item.d + (item.d - item.c) * logistic(-z);
  throw new RangeError(`no category ${category} in a dichotomous item`);
}

/**
 * The answer of a simulated examinee at theta, given a uniform draw u in [0, 1): the
 * highest category k with u < P(X >= k). For a dichotomous item that is 1 exactly when
 * u < P, the rule the simulator has always used.
 */
export function responseFromUniform(theta: number, item: Item, u: number, D = D_LOGISTIC): number {
  if (!isPolytomous(item)) return u < probability(theta, item, D) ? 1 : 0;
  const p = polytomousProbabilities(theta, item, D);
  let tail = 0;
  for (let k = p.length - 1; k >= 1; k--) {
    tail += p[k] as number;
    if (u < tail) return k;
  }
  return 0;
}

/** P_0..P_K at theta: [Q, P] for a dichotomous item. */
export function categoryProbabilities(theta: number, item: Item, D = D_LOGISTIC): Float64Array {
  if (isPolytomous(item)) return polytomousProbabilities(theta, item, D);
  return Float64Array.of(probability(theta, item, D, 0), probability(theta, item, D, 1));
}

/**
 * Fisher information. Polytomous: sum_k P'_k^2 / P_k as catR's Ii(). Dichotomous:
 * P'^2 / (P Q), the 4PL form used by catR's Ii(), with P' = D a (d - c) L (1 - L).
 * Q is built from 1 - L directly so that it keeps full precision where P is close to 1.
 */
export function information(theta: number, item: Item, D = D_LOGISTIC): number {
  if (isPolytomous(item)) return polytomousInformation(theta, item, D);
  const da = D * item.a;
  const z = da * (theta - item.b);
  const e = Math.exp(-Math.abs(z));
  const inv = 1 / (1 + e);
  const L = z >= 0 ? inv : e * inv;
  const M = z >= 0 ? e * inv : inv; // 1 - L
  const r = item.d - item.c;
  const p = item.c + r * L;
  const q = 1 - item.d + r * M;
  const pq = p * q;
  if (!(pq > 0)) return 0;
  const dp = da * r * L * M;
  return (dp * dp) / pq;
}

/** Sum of item informations: the test information at theta. */
export function testInformation(theta: number, items: ArrayLike<Item>, D = D_LOGISTIC): number {
  let sum = 0;
  for (let i = 0; i < items.length; i++) sum += information(theta, items[i] as Item, D);
  return sum;
}

/**
 * Where a 3PL item is most informative (Birnbaum; Lord 1980, eq. 10-4):
 * theta* = b + ln((1 + sqrt(1 + 8c)) / 2) / (D a). Exact for d = 1 only.
 */
export function informationPeak3pl(item: ItemParams, D = D_LOGISTIC): number {
  return item.b + Math.log((1 + Math.sqrt(1 + 8 * item.c)) / 2) / (D * item.a);
}

/** 1 / (1 + exp(-z)) without overflow for either sign of z. */
export function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Everything the estimators need about one item at theta, written into `out` so the
 * hot loops allocate nothing: P, Q = 1 - P and the first three derivatives of P.
 */
export interface ItemTerms {
  p: number;
  q: number;
  d1: number;
  d2: number;
  d3: number;
}

export function createItemTerms(): ItemTerms {
  return { p: 0, q: 0, d1: 0, d2: 0, d3: 0 };
}

export function itemTerms(theta: number, item: ItemParams, D: number, out: ItemTerms): ItemTerms {
  const da = D * item.a;
  const z = da * (theta - item.b);
  const e = Math.exp(-Math.abs(z));
  const inv = 1 / (1 + e);
  const L = z >= 0 ? inv : e * inv;
  const M = z >= 0 ? e * inv : inv;
  const r = item.d - item.c;
  const lm = L * M;
  out.p = item.c + r * L;
  out.q = 1 - item.d + r * M;
  out.d1 = da * r * lm;
  out.d2 = da * da * r * lm * (M - L);
  out.d3 = da * da * da * r * lm * (1 - 6 * lm);
  return out;
}
