// Log-likelihood derivatives and Warm's J/I terms shared by the MLE, MAP and WLE
// estimating equations, computed analytically so Newton steps are exact.

import { categoryCount, createItemTerms, isPolytomous, itemTerms } from '../model.js';
import type { Item } from '../model.js';
import { answeredItemTerms, createAnsweredItemTerms } from '../polytomous.js';

export type { ScoreTerms } from './score-terms.js';
import type { ScoreTerms } from './score-terms.js';

export function createScoreTerms(): ScoreTerms {
  return { score: 0, curvature: 0, info: 0, dInfo: 0, j: 0, dJ: 0 };
}

const TINY = 1e-75; // floor for P and Q: keeps (P Q)^2 representable

/** Fills `out` with every term the root-finding estimators need at theta. */
export function scoreTerms(
  theta: number,
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  D: number,
  out: ScoreTerms,
): ScoreTerms {
  const t = createItemTerms();
  const poly = createAnsweredItemTerms();
  let score = 0;
  let curvature = 0;
  let info = 0;
  let dInfo = 0;
  let j = 0;
  let dJ = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as Item;
    if (isPolytomous(item)) {
      answeredItemTerms(theta, item, D, responses[i] as number, poly);
      score += poly.score;
      curvature += poly.curvature;
      info += poly.info;
      dInfo += poly.dInfo;
      j += poly.j;
      dJ += poly.dJ;
      continue;
    }
    itemTerms(theta, item, D, t);
    const p = Math.max(t.p, TINY);
    const q = Math.max(t.q, TINY);
    const { d1, d2, d3 } = t;
    const pq = p * q;
    const x = responses[i] as number;
    score += (d1 * (x - p)) / pq;
    curvature += x === 1 ? (d2 * p - d1 * d1) / (p * p) : (-d2 * q - d1 * d1) / (q * q);
    info += (d1 * d1) / pq;
    // catR's Ii()$dIi and Ji(): I_i' = P'(2PQ P'' - P'^2 (Q - P)) / (PQ)^2 ...
    dInfo += (d1 * (2 * pq * d2 - d1 * d1 * (q - p))) / (pq * pq);
    j += (d1 * d2) / pq;
    // ... and J_i' = (PQ (P''^2 + P' P''') - P'^2 P'' (Q - P)) / (PQ)^2.
    dJ += (pq * (d2 * d2 + d1 * d3) - d1 * d1 * d2 * (q - p)) / (pq * pq);
  }
  out.score = score;
  out.curvature = curvature;
  out.info = info;
  out.dInfo = dInfo;
  out.j = j;
  out.dJ = dJ;
  return out;
}

/** log L(theta); log P and log Q stay finite even where P underflows. */
export function logLikelihood(
  theta: number,
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  D: number,
): number {
  const t = createItemTerms();
  const poly = createAnsweredItemTerms();
  let sum = 0;
  for (let i = 0; i < items.length; i++) sum += itemLogLikelihood(theta, items[i] as Item, responses[i] as number, D, t, poly);
  return sum;
}

/**
 * One answer's term of logLikelihood(). Adding the terms one answer at a time, in the
 * order answered, gives logLikelihood() to the last bit (the same sums in the same order).
 */
export function itemLogLikelihood(
  theta: number,
  item: Item,
  response: number,
  D: number,
  t: ReturnType<typeof createItemTerms> = createItemTerms(),
  poly: ReturnType<typeof createAnsweredItemTerms> = createAnsweredItemTerms(),
): number {
  if (isPolytomous(item)) return Math.max(answeredItemTerms(theta, item, D, response, poly).logP, LOG_TINY);
  itemTerms(theta, item, D, t);
  return Math.log(Math.max(response === 1 ? t.p : t.q, TINY));
}

const LOG_TINY = Math.log(TINY);

/** Responses are categories: 0 or 1 for a dichotomous item, 0..K for a polytomous one (catR's numbering). */
export function checkResponses(items: ArrayLike<Item>, responses: ArrayLike<number>): void {
  if (items.length !== responses.length) {
    throw new RangeError(`${items.length} items but ${responses.length} responses`);
  }
  for (let i = 0; i < responses.length; i++) {
    const x = responses[i] as number;
    const top = categoryCount(items[i] as Item) - 1;
    if (!(Number.isInteger(x) && x >= 0 && x <= top)) {
      throw new RangeError(top === 1 ? `response ${i} must be 0 or 1, got ${x}` : `response ${i} must be an integer category 0..${top}, got ${x}`);
    }
  }
}
