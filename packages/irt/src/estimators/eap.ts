// Expected a posteriori ability: the posterior mean on a fixed quadrature grid.
// Always finite, and its posterior SD is the SE the stopping rule needs.

import type { Item } from '../model.js';
import { checkResponses, logLikelihood } from './likelihood.js';
import { resolveOptions } from './options.js';
import type { Estimate, EstimationOptions, ResolvedOptions } from './options.js';

/**
 * Posterior moments by the trapezoid rule on `grid` (catR's eapEst/eapSem with
 * integrate.catR). Works on log scale with the maximum subtracted, so long tests do
 * not underflow the way a plain product of probabilities would.
 */
function posteriorMoments(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  o: ResolvedOptions,
  center: number | undefined,
): Estimate {
  const { lower, upper, points } = o.grid;
  const { mean, sd } = o.prior;
  const h = (upper - lower) / (points - 1);
  const logPost = new Float64Array(points);
  let max = -Infinity;
  for (let k = 0; k < points; k++) {
    const x = lower + k * h;
    const zp = (x - mean) / sd;
    const lp = -0.5 * zp * zp + logLikelihood(x, items, responses, o.D);
    logPost[k] = lp;
    if (lp > max) max = lp;
  }
  let w0 = 0;
  let w1 = 0;
  for (let k = 0; k < points; k++) {
    const x = lower + k * h;
    const trapezoid = k === 0 || k === points - 1 ? 0.5 : 1;
    const w = trapezoid * Math.exp((logPost[k] as number) - max);
    w0 += w;
    w1 += w * x;
  }
  const theta = w1 / w0;
  const c = center ?? theta;
  let w2 = 0;
  for (let k = 0; k < points; k++) {
    const x = lower + k * h;
    const trapezoid = k === 0 || k === points - 1 ? 0.5 : 1;
    w2 += trapezoid * Math.exp((logPost[k] as number) - max) * (x - c) * (x - c);
  }
  return { theta, se: Math.sqrt(w2 / w0) };
}

export function eapTheta(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  checkResponses(items, responses);
  return posteriorMoments(items, responses, resolveOptions(options), undefined).theta;
}

/** EAP estimate with the posterior standard deviation as its SE. */
export function estimateEap(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): Estimate {
  checkResponses(items, responses);
  return posteriorMoments(items, responses, resolveOptions(options), undefined);
}

/**
 * sqrt(E[(theta - center)^2 | x]) on the grid: catR's eapSem(), which is the posterior SD
 * when `center` is the EAP estimate.
 */
export function eapStandardError(
  center: number,
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): number {
  checkResponses(items, responses);
  return posteriorMoments(items, responses, resolveOptions(options), center).se;
}
