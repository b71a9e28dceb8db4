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
import { maximize } from './calibration-newton.js';

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
  return maximize<MarginalEvaluation>(
    {
      lower: problem.lower,
      upper: problem.upper,
      create: () => createEvaluation(m),
      evaluate: (p, out) => evaluateMarginal(sample, problem, p, out),
      newton: (e) => e.observed,
      fallback: (e) => e.crossProduct,
      valid: problem.valid,
    },
    start,
    free,
  );
}
