// Maximum likelihood ability estimate, bounded to the search range so that
// all-correct and all-wrong patterns get a defined answer (catR's `range` rule).

import type { ItemParams } from '../model.js';
import { checkResponses, createScoreTerms, scoreTerms } from './likelihood.js';
import { resolveOptions } from './options.js';
import type { EstimationOptions } from './options.js';
import { solveInRange } from './root.js';
import { withStandardError } from './standard-error.js';

/** theta solving d log L / d theta = 0 in `range` (default [-4, 4]); the nearer bound if none. */
export function mleTheta(
  items: ArrayLike<ItemParams>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  checkResponses(items, responses);
  const o = resolveOptions(options);
  if (items.length === 0) return clamp(o.prior.mean, o.lower, o.upper);
  const terms = createScoreTerms();
  const eq = { value: 0, slope: 0 };
  return solveInRange(
    (theta) => {
      scoreTerms(theta, items, responses, o.D, terms);
      eq.value = terms.score;
      eq.slope = terms.curvature;
      return eq;
    },
    o.lower,
    o.upper,
  );
}

/** MLE with its standard error 1 / sqrt(I(theta)) as in catR's semTheta(). */
export const estimateMle = withStandardError('MLE', mleTheta);

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
