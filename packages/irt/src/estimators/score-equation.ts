// What MLE, MAP and WLE share: each solves an estimating equation built from the score terms, inside the
// range, and answers the prior mean (clamped to the range) when there are no responses.

import type { Item } from '../model.js';
import { checkResponses, createScoreTerms, scoreTerms } from './likelihood.js';
import type { ScoreTerms } from './likelihood.js';
import { resolveOptions } from './options.js';
import type { EstimationOptions, ResolvedOptions } from './options.js';
import { solveInRange } from './root.js';

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** The equation's value and slope at theta, from the score terms there; written into `eq`. */
export type EstimatingEquation = (
  theta: number,
  terms: ScoreTerms,
  eq: { value: number; slope: number },
  o: ResolvedOptions,
) => void;

export function solveScoreEquation(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions,
  equation: EstimatingEquation,
): number {
  checkResponses(items, responses);
  const o = resolveOptions(options);
  if (items.length === 0) return clamp(o.prior.mean, o.lower, o.upper);
  const terms = createScoreTerms();
  const eq = { value: 0, slope: 0 };
  return solveInRange(
    (theta) => {
      scoreTerms(theta, items, responses, o.D, terms);
      equation(theta, terms, eq, o);
      return eq;
    },
    o.lower,
    o.upper,
  );
}
