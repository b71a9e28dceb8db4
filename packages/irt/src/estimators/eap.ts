// Expected a posteriori ability: the posterior mean on a fixed quadrature grid.
// Always finite, and its posterior SD is the SE the stopping rule needs.

import type { Item } from '../model.js';
import { createItemTerms } from '../model.js';
import { createAnsweredItemTerms } from '../polytomous.js';
import { checkResponses, itemLogLikelihood, logLikelihood } from './likelihood.js';
import { resolveOptions } from './options.js';
import type { Estimate, EstimationOptions, ResolvedOptions } from './options.js';

/** log L at each point of the quadrature grid: what the EAP estimate is computed from. */
export function gridLogLikelihood(items: ArrayLike<Item>, responses: ArrayLike<number>, o: ResolvedOptions): Float64Array {
  const { lower, upper, points } = o.grid;
  const h = (upper - lower) / (points - 1);
  const ll = new Float64Array(points);
  for (let k = 0; k < points; k++) ll[k] = logLikelihood(lower + k * h, items, responses, o.D);
  return ll;
}

/**
 * A copy of `ll` with one more answer's log-likelihood added at each grid point: a test
 * re-estimated after every answer then costs one item per answer, not the whole test,
 * and gives what gridLogLikelihood() gives for all its answers (the same sums, in order).
 */
export function addToGridLogLikelihood(ll: Float64Array, item: Item, response: number, o: ResolvedOptions): Float64Array {
  const { lower, upper, points } = o.grid;
  const h = (upper - lower) / (points - 1);
  const out = new Float64Array(points);
  const t = createItemTerms();
  const poly = createAnsweredItemTerms();
  for (let k = 0; k < points; k++) out[k] = (ll[k] as number) + itemLogLikelihood(lower + k * h, item, response, o.D, t, poly);
  return out;
}

/**
 * Posterior moments by the trapezoid rule on the grid (catR's eapEst/eapSem with
 * integrate.catR), from log L at the grid points. Works on log scale with the maximum
 * subtracted, so long tests do not underflow the way a plain product of probabilities would.
 */
export function posteriorMoments(ll: Float64Array, o: ResolvedOptions, center: number | undefined): Estimate {
  const { lower, upper, points } = o.grid;
  const { mean, sd } = o.prior;
  const h = (upper - lower) / (points - 1);
  const logPost = new Float64Array(points);
  let max = -Infinity;
  for (let k = 0; k < points; k++) {
    const x = lower + k * h;
    const zp = (x - mean) / sd;
    const lp = -0.5 * zp * zp + (ll[k] as number);
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
  return eapFrom(items, responses, resolveOptions(options), undefined).theta;
}

/** EAP estimate with the posterior standard deviation as its SE. */
export function estimateEap(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): Estimate {
  checkResponses(items, responses);
  return eapFrom(items, responses, resolveOptions(options), undefined);
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
  return eapFrom(items, responses, resolveOptions(options), center).se;
}

function eapFrom(items: ArrayLike<Item>, responses: ArrayLike<number>, o: ResolvedOptions, center: number | undefined): Estimate {
  return posteriorMoments(gridLogLikelihood(items, responses, o), o, center);
}
