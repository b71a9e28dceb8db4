// One place for the estimation settings and their defaults, which follow catR's
// thetaEst()/semTheta() so results are comparable out of the box.

export type EstimatorName = 'EAP' | 'MAP' | 'MLE' | 'WLE';

export interface NormalPrior {
  readonly mean: number;
  readonly sd: number;
}

export interface QuadratureGrid {
  readonly lower: number;
  readonly upper: number;
  readonly points: number;
}

export interface EstimationOptions {
  /** Scaling constant: 1 (logistic, catR's default) or 1.702 (normal metric). */
  readonly D?: number;
  /** Normal prior for EAP and MAP; catR default N(0, 1). */
  readonly prior?: NormalPrior;
  /** Interval searched by MLE, MAP and WLE; estimates never leave it. catR default [-4, 4]. */
  readonly range?: readonly [number, number];
  /** EAP quadrature grid (trapezoid rule); catR default 33 points on [-4, 4]. */
  readonly grid?: QuadratureGrid;
}

export interface ResolvedOptions {
  readonly D: number;
  readonly prior: NormalPrior;
  readonly lower: number;
  readonly upper: number;
  readonly grid: QuadratureGrid;
}

export interface Estimate {
  readonly theta: number;
  readonly se: number;
}

export const DEFAULT_PRIOR: NormalPrior = Object.freeze({ mean: 0, sd: 1 });
export const DEFAULT_RANGE: readonly [number, number] = Object.freeze([-4, 4] as const);
export const DEFAULT_GRID: QuadratureGrid = Object.freeze({ lower: -4, upper: 4, points: 33 });

export function resolveOptions(options: EstimationOptions = {}): ResolvedOptions {
  const D = options.D ?? 1;
  const prior = options.prior ?? DEFAULT_PRIOR;
  const [lower, upper] = options.range ?? DEFAULT_RANGE;
  const grid = options.grid ?? DEFAULT_GRID;
  if (!(D > 0)) throw new RangeError(`D must be > 0, got ${D}`);
  if (!(prior.sd > 0) || !Number.isFinite(prior.mean)) {
    throw new RangeError('prior needs a finite mean and sd > 0');
  }
  if (!(lower < upper) || !Number.isFinite(lower) || !Number.isFinite(upper)) {
    throw new RangeError(`range must be finite with lower < upper, got [${lower}, ${upper}]`);
  }
  if (!(grid.lower < grid.upper) || !(Number.isInteger(grid.points) && grid.points >= 2)) {
    throw new RangeError('grid needs lower < upper and at least 2 integer points');
  }
  return { D, prior, lower, upper, grid };
}
