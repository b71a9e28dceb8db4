// Bayes modal (MAP) ability estimate under a normal prior: the posterior mode, which
// stays finite for constant patterns without needing a range bound.

import type { ItemParams } from '../model.js';
import { checkResponses, createScoreTerms, scoreTerms } from './likelihood.js';
import { clamp } from './mle.js';
import { resolveOptions } from './options.js';
import type { EstimationOptions } from './options.js';
import { solveInRange } from './root.js';
import { withStandardError } from './standard-error.js';

/**
 * Root of d log L / d theta + (mean - theta) / sd^2 in `range` (catR's method "BM"),
 * found by Newton-Raphson with a bisection fallback.
 */
export function mapTheta(
  items: ArrayLike<ItemParams>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  checkResponses(items, responses);
  const o = resolveOptions(options);
  const { mean, sd } = o.prior;
  const precision = 1 / (sd * sd);
  if (items.length === 0) return clamp(mean, o.lower, o.upper);
  const terms = createScoreTerms();
  const eq = { value: 0, slope: 0 };
  return solveInRange(
    (theta) => {
      scoreTerms(theta, items, responses, o.D, terms);
      eq.value = terms.score + (mean - theta) * precision;
      eq.slope = terms.curvature - precision;
      return eq;
    },
    o.lower,
    o.upper,
  );
}

/** MAP with standard error 1 / sqrt(I(theta) + 1 / sd^2) as in catR's semTheta(). */
export const estimateMap = withStandardError('MAP', mapTheta);
