// Calibration of one item against examinees whose abilities are known only up to a
// distribution: the item's likelihood integrated over each examinee's posterior of theta
// given the operational items (Ban, Hanson, Wang, Yi & Harris, 2001, "A comparative study
// of on-line pretest item calibration/scaling methods in computerized adaptive testing",
// J. Educ. Meas. 38(3), 191-212). Their MEM iterates EM cycles whose E-step puts the
// pretest response into each posterior; with one item and fixed operational posteriors
// those cycles converge to the maximum of exactly this marginal likelihood, which Newton's
// method reaches directly. Standard errors come from the observed information of the
// marginal likelihood (Louis 1982), so the uncertainty in theta widens them instead of
// attenuating a behind understated SEs as a fit against point estimates does.

import { normalQuadrature } from './gauss-hermite.js';
import { createNodeTerms, type NodeTermsFn } from './calibration-terms.js';
import type { NormalPrior } from './estimators/options.js';

/** An examinee's ability as the calibration sees it. */
export interface AbilityDistribution {
  /** Point estimate (the posterior mean for EAP). */
  readonly theta: number;
  /** Its standard error (posterior SD); absent or 0 means theta is taken as exact. */
  readonly se?: number;
  /** A discrete posterior instead (e.g. EAP's grid): nodes and weights (normalized here); wins over se. */
  readonly posterior?: { readonly theta: ArrayLike<number>; readonly weight: ArrayLike<number> };
}

/** Gauss-Hermite points for an N(theta, se^2) ability (exact for polynomials of degree 29). */
export const DEFAULT_ABILITY_QUADRATURE = 15;

/** Each examinee's quadrature: nodes and log weights, flattened. */
export interface MarginalSample {
  readonly n: number;
  /** Examinee i's nodes are offset[i] .. offset[i + 1] - 1. */
  readonly offset: Int32Array;
  readonly nodes: Float64Array;
  readonly logWeights: Float64Array;
  /** Response (0/1, or a category) per examinee. */
  readonly x: Int32Array;
}

export function hasUncertainAbility(responses: ReadonlyArray<AbilityDistribution>): boolean {
  return responses.some((r) => r.posterior !== undefined || (r.se !== undefined && r.se > 0));
}

/**
 * Each examinee's quadrature. With `likelihoodPrior` the (theta, se) pairs are read as
 * maximum-likelihood estimates (MLE, WLE), a summary of the likelihood rather than of the
 * posterior, and combined with that population prior into N(mean, sd^2) with
 * 1/sd^2 = 1/se^2 + 1/sigma^2 and mean = sd^2 (theta/se^2 + mu/sigma^2).
 */
export function toMarginalSample(
  responses: ReadonlyArray<AbilityDistribution>,
  x: ArrayLike<number>,
  points = DEFAULT_ABILITY_QUADRATURE,
  likelihoodPrior?: NormalPrior,
): MarginalSample {
  const n = responses.length;
  if (likelihoodPrior !== undefined && !(likelihoodPrior.sd > 0 && Number.isFinite(likelihoodPrior.sd) && Number.isFinite(likelihoodPrior.mean))) {
    throw new RangeError('abilityPrior needs a finite mean and sd > 0');
  }
  const rule = normalQuadrature(points);
  const offset = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const r = responses[i]!;
    if (!Number.isFinite(r.theta)) throw new RangeError(`response ${i}: theta must be finite, got ${r.theta}`);
    if (r.se !== undefined && !(r.se >= 0 && Number.isFinite(r.se))) throw new RangeError(`response ${i}: se must be finite and >= 0, got ${r.se}`);
    let count = r.se !== undefined && r.se > 0 ? points : 1;
    if (r.posterior !== undefined) {
      const { theta, weight } = r.posterior;
      if (theta.length === 0 || theta.length !== weight.length) throw new RangeError(`response ${i}: posterior needs as many weights as nodes, at least one`);
      count = theta.length;
    }
    offset[i + 1] = offset[i]! + count;
  }
  const nodes = new Float64Array(offset[n]!);
  const logWeights = new Float64Array(offset[n]!);
  for (let i = 0; i < n; i++) {
    const r = responses[i]!;
    const start = offset[i]!;
    if (r.posterior !== undefined) {
      const { theta, weight } = r.posterior;
      let total = 0;
      for (let q = 0; q < weight.length; q++) {
        const w = weight[q]!;
        if (!(w >= 0) || !Number.isFinite(w) || !Number.isFinite(theta[q]!)) throw new RangeError(`response ${i}: posterior nodes must be finite, weights finite and >= 0`);
        total += w;
      }
      if (!(total > 0)) throw new RangeError(`response ${i}: posterior weights must not all be 0`);
      for (let q = 0; q < weight.length; q++) {
        nodes[start + q] = theta[q]!;
        logWeights[start + q] = Math.log(weight[q]! / total);
      }
    } else if (offset[i + 1]! - start === 1) {
      nodes[start] = r.theta;
      logWeights[start] = 0;
    } else {
      let mean = r.theta;
      let sd = r.se!;
      if (likelihoodPrior !== undefined) {
        const precision = 1 / (sd * sd) + 1 / (likelihoodPrior.sd * likelihoodPrior.sd);
        mean = (r.theta / (sd * sd) + likelihoodPrior.mean / (likelihoodPrior.sd * likelihoodPrior.sd)) / precision;
        sd = Math.sqrt(1 / precision);
      }
      for (let q = 0; q < points; q++) {
        nodes[start + q] = mean + sd * rule.nodes[q]!;
        logWeights[start + q] = Math.log(rule.weights[q]!);
      }
    }
  }
  return { n, offset, nodes, logWeights, x: Int32Array.from(x) };
}

/** The fitted model's constraints and extras; parameters outside `lower`..`upper` are never tried. */
export interface MarginalProblem {
  readonly terms: NodeTermsFn;
  readonly D: number;
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** Extra admissibility (GRM: thresholds strictly increasing). */
  readonly valid?: (p: Float64Array) => boolean;
  /** Log prior added to the objective, with its gradient and Hessian added in place. */
  readonly logPrior?: (p: Float64Array, grad: Float64Array, hess: Float64Array) => number;
}

export interface MarginalEvaluation {
  ll: number;
  objective: number;
  readonly grad: Float64Array;
  /** Minus the Hessian of the objective (Louis' observed information plus the prior's curvature). */
  readonly observed: Float64Array;
  /** Sum of per-examinee score outer products (BHHH): positive semi-definite, the fallback direction. */
  readonly crossProduct: Float64Array;
}

export interface MarginalFit {
  readonly p: Float64Array;
  readonly evaluation: MarginalEvaluation;
  readonly iterations: number;
  readonly settled: boolean;
}

const MAX_ITERATIONS = 200;
const TOLERANCE = 1e-6;
const MAX_HALVINGS = 40;

function createEvaluation(m: number): MarginalEvaluation {
  return { ll: 0, objective: 0, grad: new Float64Array(m), observed: new Float64Array(m * m), crossProduct: new Float64Array(m * m) };
}

/**
 * l_i = log sum_q w_iq P(x_i | theta_iq); with posterior weights pi_iq (the E-step),
 * dl_i = sum pi s_q and d2l_i = sum pi (H_q + s_q s_q') - dl_i dl_i' (Louis' identity).
 */
export function evaluateMarginal(sample: MarginalSample, problem: MarginalProblem, p: Float64Array, out: MarginalEvaluation): MarginalEvaluation {
  const m = p.length;
  const mm = m * m;
  const node = createNodeTerms(m);
  // Per examinee, sums weighted by w_q P_q / exp(max so far): rescaled when a larger term comes,
  // so nothing under- or overflows and no node's terms need storing.
  const gi = new Float64Array(m);
  const hi = new Float64Array(mm);
  out.grad.fill(0);
  out.observed.fill(0);
  out.crossProduct.fill(0);
  let ll = 0;
  for (let i = 0; i < sample.n; i++) {
    const start = sample.offset[i]!;
    const end = sample.offset[i + 1]!;
    let max = -Infinity;
    let sum = 0;
    gi.fill(0);
    hi.fill(0);
    for (let q = start; q < end; q++) {
      problem.terms(sample.nodes[q]!, p, sample.x[i]!, problem.D, node);
      const lt = sample.logWeights[q]! + node.logP;
      if (lt > max) {
        const r = Math.exp(max - lt);
        if (r !== 1) {
          sum *= r;
          for (let j = 0; j < m; j++) gi[j] = gi[j]! * r;
          for (let j = 0; j < mm; j++) hi[j] = hi[j]! * r;
        }
        max = lt;
      }
      const w = Math.exp(lt - max);
      sum += w;
      const s = node.score;
      for (let j = 0; j < m; j++) {
        const ws = w * s[j]!;
        gi[j] = gi[j]! + ws;
        for (let l = 0; l < m; l++) hi[j * m + l] = hi[j * m + l]! + w * node.hess[j * m + l]! + ws * s[l]!;
      }
    }
    ll += max + Math.log(sum);
    const inv = 1 / sum;
    for (let j = 0; j < m; j++) gi[j] = gi[j]! * inv;
    for (let j = 0; j < m; j++) {
      out.grad[j] = out.grad[j]! + gi[j]!;
      for (let l = 0; l < m; l++) {
        const outer = gi[j]! * gi[l]!;
        out.observed[j * m + l] = out.observed[j * m + l]! - hi[j * m + l]! * inv + outer;
        out.crossProduct[j * m + l] = out.crossProduct[j * m + l]! + outer;
      }
    }
  }
  out.ll = ll;
  out.objective = ll;
  if (problem.logPrior !== undefined) {
    const priorHess = new Float64Array(mm);
    const priorGrad = new Float64Array(m);
    out.objective += problem.logPrior(p, priorGrad, priorHess);
    for (let j = 0; j < m; j++) {
      out.grad[j] = out.grad[j]! + priorGrad[j]!;
      for (let l = 0; l < m; l++) {
        out.observed[j * m + l] = out.observed[j * m + l]! - priorHess[j * m + l]!;
        out.crossProduct[j * m + l] = out.crossProduct[j * m + l]! - priorHess[j * m + l]!;
      }
    }
  }
  return out;
}

/**
 * Newton-Raphson on the marginal log-likelihood where its observed information is positive
 * definite, BHHH (score cross-products, always an ascent direction) where not; step halving,
 * projection onto the box, and `valid` checked before a step is taken.
 */
export function fitMarginal(sample: MarginalSample, problem: MarginalProblem, start: ArrayLike<number>, free: readonly boolean[]): MarginalFit {
  const m = start.length;
  const p = Float64Array.from(start);
  const candidate = new Float64Array(m);
  const step = new Float64Array(m);
  let current = evaluateMarginal(sample, problem, p, createEvaluation(m));
  let trial = createEvaluation(m);
  let iterations = 0;
  let settled = false;
  const { lower, upper } = problem;
  while (iterations < MAX_ITERATIONS) {
    const active: boolean[] = [];
    for (let j = 0; j < m; j++) {
      const g = current.grad[j]!;
      const pinned = (p[j]! <= lower[j]! && g <= 0) || (p[j]! >= upper[j]! && g >= 0);
      active.push(free[j]! && !pinned);
    }
    if (!solve(current.observed, current.grad, active, step, false) && !solve(current.crossProduct, current.grad, active, step, true)) break;
    let size = 0;
    for (let j = 0; j < m; j++) size = Math.max(size, Math.abs(step[j]!));
    if (size === 0) {
      settled = true;
      break;
    }
    let lambda = 1;
    let accepted = false;
    for (let h = 0; h < MAX_HALVINGS; h++, lambda /= 2) {
      for (let j = 0; j < m; j++) candidate[j] = free[j] ? clamp(p[j]! + lambda * step[j]!, lower[j]!, upper[j]!) : p[j]!;
      if (problem.valid !== undefined && !problem.valid(candidate)) continue;
      evaluateMarginal(sample, problem, candidate, trial);
      if (trial.objective >= current.objective) {
        accepted = true;
        break;
      }
    }
    iterations++;
    if (!accepted) {
      settled = size < 1e-5;
      break;
    }
    const gain = trial.objective - current.objective;
    p.set(candidate);
    [current, trial] = [trial, current];
    if (size < TOLERANCE || (gain <= 1e-13 * Math.abs(current.objective) && size < 1e-4)) {
      settled = true;
      break;
    }
  }
  return { p, evaluation: current, iterations, settled };
}

/** Cholesky of the active block of the m x m matrix `a`; null when not positive definite. */
function cholesky(a: Float64Array, active: readonly boolean[]): { index: number[]; l: Float64Array } | null {
  const m = active.length;
  const index: number[] = [];
  for (let j = 0; j < m; j++) if (active[j]) index.push(j);
  const k = index.length;
  const l = new Float64Array(k * k);
  for (let r = 0; r < k; r++) {
    for (let s = 0; s <= r; s++) {
      let sum = a[index[r]! * m + index[s]!]!;
      for (let t = 0; t < s; t++) sum -= l[r * k + t]! * l[s * k + t]!;
      if (r === s) {
        if (!(sum > 1e-12 * Math.max(1, Math.abs(a[index[r]! * (m + 1)]!)))) return null;
        l[r * k + r] = Math.sqrt(sum);
      } else {
        l[r * k + s] = sum / l[s * k + s]!;
      }
    }
  }
  return { index, l };
}

function solve(a: Float64Array, grad: Float64Array, active: readonly boolean[], step: Float64Array, ridge: boolean): boolean {
  step.fill(0);
  const m = active.length;
  if (!active.some(Boolean)) return true;
  let factor = cholesky(a, active);
  if (factor === null) {
    if (!ridge) return false;
    const ridged = Float64Array.from(a);
    let scale = 1e-8;
    for (let d = 0; d < m; d++) scale = Math.max(scale, Math.abs(a[d * (m + 1)]!));
    for (let d = 0; d < m; d++) ridged[d * (m + 1)] = ridged[d * (m + 1)]! + 1e-6 * scale;
    factor = cholesky(ridged, active);
    if (factor === null) return false;
  }
  const { index, l } = factor;
  const k = index.length;
  const y = index.map((j) => grad[j]!);
  for (let r = 0; r < k; r++) {
    for (let t = 0; t < r; t++) y[r] = y[r]! - l[r * k + t]! * y[t]!;
    y[r] = y[r]! / l[r * k + r]!;
  }
  for (let r = k - 1; r >= 0; r--) {
    for (let t = r + 1; t < k; t++) y[r] = y[r]! - l[t * k + r]! * y[t]!;
    y[r] = y[r]! / l[r * k + r]!;
  }
  index.forEach((j, r) => (step[j] = y[r]!));
  return Number.isFinite(y.reduce((s, v) => s + v, 0));
}

/** sqrt of the diagonal of the inverse of the `estimated` block of the information; null elsewhere or if singular. */
export function marginalStandardErrors(info: Float64Array, estimated: readonly boolean[]): Array<number | null> {
  const m = estimated.length;
  const se: Array<number | null> = new Array<number | null>(m).fill(null);
  const factor = cholesky(info, estimated);
  if (factor === null) return se;
  const { index, l } = factor;
  const k = index.length;
  const inv = new Float64Array(k * k);
  for (let col = 0; col < k; col++) {
    for (let r = col; r < k; r++) {
      let sum = r === col ? 1 : 0;
      for (let t = col; t < r; t++) sum -= l[r * k + t]! * inv[t * k + col]!;
      inv[r * k + col] = sum / l[r * k + r]!;
    }
  }
  index.forEach((j, r) => {
    let v = 0;
    for (let t = r; t < k; t++) v += inv[t * k + r]! * inv[t * k + r]!;
    se[j] = Number.isFinite(v) && v > 0 ? Math.sqrt(v) : null;
  });
  return se;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
