// Expected a posteriori ability: the posterior mean on a fixed quadrature grid.
// Always finite, and its posterior SD is the SE the stopping rule needs.

import type { Item } from '../model.js';
import { createItemTerms } from '../model.js';
import { createAnsweredItemTerms } from '../polytomous.js';
import { checkResponses, itemLogLikelihood, logLikelihood } from './likelihood.js';
import { resolveOptions } from './options.js';
import type { Estimate, EstimationOptions, ResolvedOptions } from './options.js';

/** The grid's k-th point, as every function here places it. */
const gridPoint = (grid: ResolvedOptions['grid'], k: number): number => grid.lower + k * ((grid.upper - grid.lower) / (grid.points - 1));

/**
 * log L at each point of the EAP grid, the items' terms added in their order from 0: the sums a from-scratch
 * estimate adds the prior to. A test that grows answer by answer can keep them and add each new item
 * (extendGridLogLikelihood) at the cost of one item instead of all of them, with the same numbers to the bit:
 * each point's sum takes the same additions in the same order.
 */
export function gridLogLikelihood(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): Float64Array {
  checkResponses(items, responses);
  const o = resolveOptions(options);
  const values = new Float64Array(o.grid.points);
  for (let k = 0; k < o.grid.points; k++) values[k] = logLikelihood(gridPoint(o.grid, k), items, responses, o.D);
  return values;
}

/** gridLogLikelihood of the same items and one more answered after them: a new array, `values` is left as it is. */
export function extendGridLogLikelihood(
  values: Float64Array,
  item: Item,
  response: number,
  options: EstimationOptions = {},
): Float64Array {
  checkResponses([item], [response]);
  const o = resolveOptions(options);
  if (values.length !== o.grid.points) throw new RangeError(`${values.length} values for a grid of ${o.grid.points} points`);
  const t = createItemTerms();
  const poly = createAnsweredItemTerms();
  const next = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) next[k] = (values[k] as number) + itemLogLikelihood(gridPoint(o.grid, k), item, response, o.D, t, poly);
  return next;
}

/** The EAP estimate and its posterior SD from gridLogLikelihood's sums (estimateEap without the items). */
export function estimateEapFromGrid(values: Float64Array, options: EstimationOptions = {}): Estimate {
  const o = resolveOptions(options);
  if (values.length !== o.grid.points) throw new RangeError(`${values.length} values for a grid of ${o.grid.points} points`);
  return posteriorMoments(values, o, undefined);
}

/**
 * Posterior moments by the trapezoid rule on `grid` (catR's eapEst/eapSem with
 * integrate.catR), from log L at each grid point. Works on log scale with the maximum
 * subtracted, so long tests do not underflow the way a plain product of probabilities would.
 */
function posteriorMoments(logLik: Float64Array, o: ResolvedOptions, center: number | undefined): Estimate {
  const { points } = o.grid;
  const { mean, sd } = o.prior;
  const logPost = new Float64Array(points);
  let max = -Infinity;
  for (let k = 0; k < points; k++) {
    const zp = (gridPoint(o.grid, k) - mean) / sd;
    const lp = -0.5 * zp * zp + (logLik[k] as number);
    logPost[k] = lp;
    if (lp > max) max = lp;
  }
  let w0 = 0;
  let w1 = 0;
  for (let k = 0; k < points; k++) {
    const x = gridPoint(o.grid, k);
    const trapezoid = k === 0 || k === points - 1 ? 0.5 : 1;
    const w = trapezoid * Math.exp((logPost[k] as number) - max);
    w0 += w;
    w1 += w * x;
  }
  const theta = w1 / w0;
  const c = center ?? theta;
  let w2 = 0;
  for (let k = 0; k < points; k++) {
    const x = gridPoint(o.grid, k);
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
  return posteriorMoments(gridLogLikelihood(items, responses, options), resolveOptions(options), undefined).theta;
}

/** EAP estimate with the posterior standard deviation as its SE. */
export function estimateEap(
  items: ArrayLike<Item>,
  responses: ArrayLike<number>,
  options: EstimationOptions = {},
): Estimate {
  return posteriorMoments(gridLogLikelihood(items, responses, options), resolveOptions(options), undefined);
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
  return posteriorMoments(gridLogLikelihood(items, responses, options), resolveOptions(options), center).se;
}
