// Standard errors as catR's semTheta() defines them for each estimator, kept apart
// from the estimators so an SE can be computed at any theta (e.g. a stored estimate).

import { testInformation } from '../model.js';
import type { Item } from '../model.js';
import { eapStandardError } from './eap.js';
import { checkResponses } from './likelihood.js';
import { resolveOptions } from './options.js';
import type { Estimate, EstimationOptions, EstimatorName } from './options.js';

/**
 * - MLE, WLE: 1 / sqrt(I(theta)) (catR uses the plain information for WL too);
 * - MAP: 1 / sqrt(I(theta) + 1 / sd^2);
 * - EAP: posterior SD around theta on the quadrature grid.
 * With no information (no items) MLE/WLE return Infinity: there is no precision yet.
 */
export function standardError(
  method: EstimatorName,
  theta: number,
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  checkResponses(items, responses);
  if (method === 'EAP') return eapStandardError(theta, items, responses, options);
  const o = resolveOptions(options);
  const info = testInformation(theta, items, o.D);
  if (method === 'MAP') return 1 / Math.sqrt(info + 1 / (o.prior.sd * o.prior.sd));
  return info > 0 ? 1 / Math.sqrt(info) : Infinity;
}

/** Pairs an ability estimator with its standard error, as catR pairs thetaEst() with semTheta(). */
export function withStandardError(
  method: EstimatorName,
  thetaOf: (items: ArrayLike<Item>, responses: ArrayLike<number>, options: EstimationOptions) => number,
): (items: ArrayLike<Item>, responses: ArrayLike<number>, options?: EstimationOptions) => Estimate {
  return (items, responses, options = {}) => {
    const theta = thetaOf(items, responses, options);
    return { theta, se: standardError(method, theta, items, responses, options) };
  };
}
