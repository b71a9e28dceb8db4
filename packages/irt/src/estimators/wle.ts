// Warm's (1989) weighted likelihood estimate: removes most of the MLE's O(1/n) bias,
// which matters for short adaptive tests; bounded to the range like the MLE.

import type { Item } from '../model.js';
import type { EstimationOptions } from './options.js';
import { solveScoreEquation } from './score-equation.js';
import { withStandardError } from './standard-error.js';

/**
 * Root of d log L / d theta + J(theta) / (2 I(theta)) in `range`, with
 * J = sum P' P'' / (P Q) (catR's method "WL").
 */
export function wleTheta(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  return solveScoreEquation(items, responses, options, (_theta, terms, eq) => {
    const { info, dInfo, j, dJ } = terms;
    if (info > 1e-300) {
      eq.value = terms.score + j / (2 * info);
      eq.slope = terms.curvature + (dJ * info - j * dInfo) / (2 * info * info);
    } else {
      // No information left at this theta: the weight is undefined, the score rules.
      eq.value = terms.score;
      eq.slope = terms.curvature;
    }
  });
}

/** WLE with standard error 1 / sqrt(I(theta)), which is what catR's semTheta() reports. */
export const estimateWle = withStandardError('WLE', wleTheta);
