// Log-likelihood derivatives and Warm's J/I terms shared by the MLE, MAP and WLE
// estimating equations, computed analytically so Newton steps are exact.

import { createItemTerms, itemTerms } from '../model.js';
import type { ItemParams } from '../model.js';

export interface ScoreTerms {
  /** d log L / d theta */
  score: number;
  /** d^2 log L / d theta^2 */
  curvature: number;
  /** test information I(theta) */
  info: number;
  /** dI / d theta */
  dInfo: number;
  /** J(theta) = sum P' P'' / (P Q) (Warm 1989) */
  j: number;
  /** dJ / d theta */
  dJ: number;
}

export function createScoreTerms(): ScoreTerms {
  return { score: 0, curvature: 0, info: 0, dInfo: 0, j: 0, dJ: 0 };
}

const TINY = 1e-75; // floor for P and Q: keeps (P Q)^2 representable

/** Fills `out` with every term the root-finding estimators need at theta. */
export function scoreTerms(
  theta: number,
  items: ArrayLike<ItemParams>,
  responses: ArrayLike<number>,
  D: number,
  out: ScoreTerms,
): ScoreTerms {
  const t = createItemTerms();
  let score = 0;
  let curvature = 0;
  let info = 0;
  let dInfo = 0;
  let j = 0;
  let dJ = 0;
  for (let i = 0; i < items.length; i++) {
    itemTerms(theta, items[i] as ItemParams, D, t);
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
  items: ArrayLike<ItemParams>,
  responses: ArrayLike<number>,
  D: number,
): number {
  const t = createItemTerms();
  let sum = 0;
  for (let i = 0; i < items.length; i++) {
    itemTerms(theta, items[i] as ItemParams, D, t);
    sum += Math.log(Math.max(responses[i] === 1 ? t.p : t.q, TINY));
  }
  return sum;
}

export function checkResponses(items: ArrayLike<ItemParams>, responses: ArrayLike<number>): void {
  if (items.length !== responses.length) {
    throw new RangeError(`${items.length} items but ${responses.length} responses`);
  }
  for (let i = 0; i < responses.length; i++) {
    const x = responses[i];
    if (x !== 0 && x !== 1) throw new RangeError(`response ${i} must be 0 or 1, got ${x}`);
  }
}
