// Warm's (1989) weighted likelihood estimate: removes most of the MLE's O(1/n) bias,
// which matters for short adaptive tests; bounded to the range like the MLE.

import type { ItemParams } from '../model.js';
import { checkResponses, createScoreTerms, scoreTerms } from './likelihood.js';
import { clamp } from './mle.js';
import { resolveOptions } from './options.js';
import type { EstimationOptions } from './options.js';
import { solveInRange } from './root.js';
import { withStandardError } from './standard-error.js';

/**
 * Root of d log L / d theta + J(theta) / (2 I(theta)) in `range`, with
 * J = sum P' P'' / (P Q) (catR's method "WL").
 */
export function wleTheta(
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
      const { info, dInfo, j, dJ } = terms;
      if (info > 1e-300) {
        eq.value = terms.score + j / (2 * info);
        eq.slope = terms.curvature + (dJ * info - j * dInfo) / (2 * info * info);
      } else {
        // No information left at this theta: the weight is undefined, the score rules.
        eq.value = terms.score;
        eq.slope = terms.curvature;
      }
      return eq;
    },
    o.lower,
    o.upper,
  );
}

/** WLE with standard error 1 / sqrt(I(theta)), which is what catR's semTheta() reports. */
export const estimateWle = withStandardError('WLE', wleTheta);
