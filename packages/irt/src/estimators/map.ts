// Bayes modal (MAP) ability estimate under a normal prior: the posterior mode, which
// stays finite for constant patterns without needing a range bound.

import type { Item } from '../model.js';
import type { EstimationOptions } from './options.js';
import { solveScoreEquation } from './score-equation.js';
import { withStandardError } from './standard-error.js';

/**
 * Root of d log L / d theta + (mean - theta) / sd^2 in `range` (catR's method "BM"),
 * found by Newton-Raphson with a bisection fallback.
 */
export function mapTheta(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  return solveScoreEquation(items, responses, options, (theta, terms, eq, o) => {
    const precision = 1 / (o.prior.sd * o.prior.sd);
    eq.value = terms.score + (o.prior.mean - theta) * precision;
    eq.slope = terms.curvature - precision;
  });
}

/** MAP with standard error 1 / sqrt(I(theta) + 1 / sd^2) as in catR's semTheta(). */
export const estimateMap = withStandardError('MAP', mapTheta);
