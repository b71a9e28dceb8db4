// Maximum likelihood ability estimate, bounded to the search range so that
// all-correct and all-wrong patterns get a defined answer (catR's `range` rule).

import type { Item } from '../model.js';
import type { EstimationOptions } from './options.js';
import { solveScoreEquation } from './score-equation.js';
import { withStandardError } from './standard-error.js';

/** theta solving d log L / d theta = 0 in `range` (default [-4, 4]); the nearer bound if none. */
export function mleTheta(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  return solveScoreEquation(items, responses, options, (_theta, terms, eq) => {
    eq.value = terms.score;
    eq.slope = terms.curvature;
  });
}

/** MLE with its standard error 1 / sqrt(I(theta)) as in catR's semTheta(). */
export const estimateMle = withStandardError('MLE', mleTheta);
