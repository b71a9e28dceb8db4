// Online item calibration: the item's parameters given examinees whose thetas are
// already estimated, so operational CAT data can refit or check one item at a time
// without a marginal (EM) run over the whole bank. Pure, allocation-light, no I/O.
// With point thetas it fits against them; with their standard errors (or posteriors) it
// integrates over them (src/marginal-calibration.ts).

import { D_LOGISTIC, probability, toItemParams } from './model.js';
import type { ItemInput } from './model.js';
import type { NormalPrior } from './estimators/options.js';
import { dichotomousTerms } from './calibration-terms.js';
import { maximize, standardErrors } from './calibration-newton.js';
import { fitMarginal, hasUncertainAbility, toMarginalSample, type AbilityDistribution, type MarginalProblem } from './marginal-calibration.js';

/** theta alone is taken as exact; with se > 0 (or a posterior) the fit integrates over the examinee's ability. */
export interface CalibrationResponse extends AbilityDistribution {
  readonly correct: boolean;
}

export interface CalibrationOptions {
  /** '2PL', '3PL', or 'auto' (default): 3PL when n >= minSampleFor3pl, else 2PL. */
  readonly model?: '2PL' | '3PL' | 'auto';
  /** Scaling constant of the metric the thetas are on (default 1, like the estimators). */
  readonly D?: number;
  /** Smallest sample 'auto' fits a 3PL to (default DEFAULT_MIN_SAMPLE_3PL = 500): c needs many low-ability responses. */
  readonly minSampleFor3pl?: number;
  /** Gauss-Hermite points per examinee with an se (default DEFAULT_ABILITY_QUADRATURE = 15). */
  readonly quadraturePoints?: number;
  /**
   * Give this when the thetas are maximum-likelihood estimates (MLE, WLE) with their SEs:
   * each is then combined with this population prior into the examinee's posterior. Leave
   * it out for EAP or MAP estimates, which already are the posterior's mean (mode) and SD.
   */
  readonly abilityPrior?: NormalPrior;
}

export interface CalibrationResult {
  /** The model actually fitted; '1PL' (a = 1, c = 0, only b estimated) is the fallback for thin data. */
  readonly model: '1PL' | '2PL' | '3PL';
  readonly a: number;
  readonly b: number;
  readonly c: number;
  /** Standard errors; null for a parameter that was fixed or ended on a constraint. */
  readonly seA: number | null;
  readonly seB: number | null;
  readonly seC: number | null;
  readonly n: number;
  /** True only if the requested model was fitted, the iterations met the tolerance and no parameter sits on a bound. */
  readonly converged: boolean;
  /** Newton/scoring steps taken; for the 3PL including the 2PL fit that starts it. */
  readonly iterations: number;
  /** Log-likelihood of the responses at the estimate (without the prior on c). */
  readonly logLikelihood: number;
}

/**
 * The exam service's item constraints: a in (0, 5], b in [-6, 6], c in [0, 0.5).
 * aMin keeps a strictly positive; cMin/cMax keep the Beta prior's log finite.
 */
export const CALIBRATION_BOUNDS = Object.freeze({ aMin: 0.01, aMax: 5, bMin: -6, bMax: 6, cMin: 1e-4, cMax: 0.499 });

/** Beta(5, 17) on c, as in BILOG: mode 0.2, and c stays identifiable where data on it are thin. */
export const C_PRIOR = Object.freeze({ alpha: 5, beta: 17 });

/** Below this many responses (or with no spread in theta) a and c are not estimated: 1PL fallback. */
export const MIN_SAMPLE_2PL = 20;
/**
 * 'auto' fits a 3PL from this many responses on. With a few hundred responses the c
 * estimate is mostly the prior, and a 3PL's a and b are noisier than a 2PL's.
 */
export const DEFAULT_MIN_SAMPLE_3PL = 500;


interface Sample {
  readonly theta: Float64Array;
  readonly x: Uint8Array;
  readonly n: number;
}

/** Which of (a, b, c) the fit moves; the others stay at their starting values. */
type Free = readonly [boolean, boolean, boolean];

interface Evaluation {
  /** Data log-likelihood. */
  ll: number;
  /** Objective: ll plus the log prior on c when c is free. */
  objective: number;
  readonly grad: Float64Array;
  /** Expected (Fisher) information of the objective, 3 x 3 row-major. */
  readonly info: Float64Array;
  /** Observed information (minus the Hessian) of the objective, 3 x 3 row-major. */
  readonly observed: Float64Array;
}

interface Fit {
  readonly p: Float64Array;
  readonly evaluation: Evaluation;
  readonly iterations: number;
  readonly settled: boolean;
}

/**
 * Fixed-theta calibration of one dichotomous item. 2PL: maximum likelihood; 3PL:
 * maximum a posteriori with a Beta(5, 17) prior on c only, started from the 2PL fit.
 * Newton-Raphson where the observed information is positive definite, Fisher scoring
 * where it is not, with step halving and the box CALIBRATION_BOUNDS (a parameter on a
 * bound is held while the gradient pushes outward). Standard errors: inverse expected
 * information (plus the prior's curvature for c) at the estimate; for the 2PL this equals
 * logistic regression's (X'WX)^-1 carried to (a, b) by the delta method.
 *
 * Thin data get a finite answer with converged = false: no responses (b = 0), all correct
 * or all wrong (1PL, b on a bound), fewer than MIN_SAMPLE_2PL responses or one theta
 * value (1PL), perfect separation or negative discrimination (a on a bound).
 */
export function calibrateItem(
  responses: ReadonlyArray<CalibrationResponse>,
  options: CalibrationOptions = {},
): CalibrationResult {
  const D = options.D ?? D_LOGISTIC;
  const requested = options.model ?? 'auto';
  const minSampleFor3pl = options.minSampleFor3pl ?? DEFAULT_MIN_SAMPLE_3PL;
  if (!(D > 0) || !Number.isFinite(D)) throw new RangeError(`D must be finite and > 0, got ${D}`);
  if (requested !== '2PL' && requested !== '3PL' && requested !== 'auto') {
    throw new RangeError(`model must be '2PL', '3PL' or 'auto', got ${String(requested)}`);
  }
  if (!(minSampleFor3pl >= 0)) throw new RangeError(`minSampleFor3pl must be >= 0, got ${minSampleFor3pl}`);

  const sample = toSample(responses);
  const { n } = sample;
  const finish = hasUncertainAbility(responses) ? marginalFinish(responses, sample, D, options.quadraturePoints, options.abilityPrior) : result;
  if (n === 0) {
    return { model: '1PL', a: 1, b: 0, c: 0, seA: null, seB: null, seC: null, n, converged: false, iterations: 0, logLikelihood: 0 };
  }

  let correct = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    correct += sample.x[i]!;
    mean += sample.theta[i]!;
  }
  mean /= n;
  let spread = 0;
  for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(sample.theta[i]! - mean));

  const proportion = correct / n;
  const startB = clamp(mean - logit(clamp(proportion, 0.01, 0.99)) / D, CALIBRATION_BOUNDS.bMin, CALIBRATION_BOUNDS.bMax);
  if (correct === 0 || correct === n || n < MIN_SAMPLE_2PL || spread < 1e-9) {
    const fit = fitItem(sample, D, [1, startB, 0], [false, true, false]);
    return finish('1PL', fit, [false, true, false], n, false, fit.iterations);
  }

  const twoPl = fitItem(sample, D, [1, startB, 0], [true, true, false]);
  const use3pl = requested === '3PL' || (requested === 'auto' && n >= minSampleFor3pl);
  if (!use3pl) return finish('2PL', twoPl, [true, true, false], n, true, twoPl.iterations);

  const { aMax, bMin, bMax } = CALIBRATION_BOUNDS;
  const start: [number, number, number] = [
    clamp(twoPl.p[0]!, 0.2, 0.8 * aMax),
    clamp(twoPl.p[1]!, 0.9 * bMin, 0.9 * bMax),
    (C_PRIOR.alpha - 1) / (C_PRIOR.alpha + C_PRIOR.beta - 2),
  ];
  const threePl = fitItem(sample, D, start, [true, true, true]);
  return finish('3PL', threePl, [true, true, true], n, true, twoPl.iterations + threePl.iterations);
}

/**
 * The fit against point thetas, carried on to the marginal likelihood over each examinee's
 * ability distribution (same free parameters, bounds and prior on c); its SEs from the
 * marginal observed information. The point fit is only the starting value.
 */
function marginalFinish(
  responses: ReadonlyArray<CalibrationResponse>,
  point: Sample,
  D: number,
  points: number | undefined,
  prior: NormalPrior | undefined,
): typeof result {
  const sample = toMarginalSample(responses, point.x, points, prior);
  const { aMin, aMax, bMin, bMax, cMin, cMax } = CALIBRATION_BOUNDS;
  return (model, pointFit, free, n, requestedFitted, iterations) => {
    const problem: MarginalProblem = {
      terms: dichotomousTerms,
      D,
      lower: [aMin, bMin, free[2] ? cMin : 0],
      upper: [aMax, bMax, cMax],
      logPrior: free[2] ? cLogPrior : undefined,
    };
    const fit = fitMarginal(sample, problem, pointFit.p, free);
    const settled = requestedFitted && pointFit.settled && fit.settled;
    return toResult(model, fit.p, fit.evaluation.observed, free, n, settled, iterations + fit.iterations, fit.evaluation.ll);
  };
}

/** The Beta(5, 17) log prior on c (params[2]) with its gradient and Hessian. */
function cLogPrior(p: Float64Array, grad: Float64Array, hess: Float64Array): number {
  const { alpha, beta } = C_PRIOR;
  const c = p[2]!;
  grad[2] = (alpha - 1) / c - (beta - 1) / (1 - c);
  hess[8] = -(alpha - 1) / (c * c) - (beta - 1) / ((1 - c) * (1 - c));
  return (alpha - 1) * Math.log(c) + (beta - 1) * Math.log1p(-c);
}

/** Mean model probability of a correct answer over `thetas`: what to compare an item's observed p-value with. */
export function expectedProportionCorrect(thetas: ArrayLike<number>, item: ItemInput, D: number = D_LOGISTIC): number {
  if (thetas.length === 0) throw new RangeError('thetas must not be empty');
  const params = toItemParams(item);
  let sum = 0;
  for (let i = 0; i < thetas.length; i++) {
    const theta = thetas[i]!;
    if (!Number.isFinite(theta)) throw new RangeError(`theta must be finite, got ${theta}`);
    sum += probability(theta, params, D);
  }
  return sum / thetas.length;
}

function toSample(responses: ReadonlyArray<CalibrationResponse>): Sample {
  const n = responses.length;
  const theta = new Float64Array(n);
  const x = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = responses[i]!;
    if (!Number.isFinite(r.theta)) throw new RangeError(`response ${i}: theta must be finite, got ${r.theta}`);
    theta[i] = r.theta;
    x[i] = r.correct ? 1 : 0;
  }
  return { theta, x, n };
}

function result(
  model: CalibrationResult['model'],
  fit: Fit,
  free: Free,
  n: number,
  requestedFitted: boolean,
  iterations: number,
): CalibrationResult {
  return toResult(model, fit.p, fit.evaluation.info, free, n, requestedFitted && fit.settled, iterations, fit.evaluation.ll);
}

/** The result at p: SEs from `info` on the parameters that are free and off their bounds. */
function toResult(
  model: CalibrationResult['model'],
  p: Float64Array,
  info: Float64Array,
  free: Free,
  n: number,
  settled: boolean,
  iterations: number,
  logLikelihood: number,
): CalibrationResult {
  const [a, b, c] = p as unknown as [number, number, number];
  const onBound = boundMask(p);
  const estimated: Free = [free[0] && !onBound[0], free[1] && !onBound[1], free[2] && !onBound[2]];
  const se = standardErrors(info, estimated);
  const anyBound = (free[0] && onBound[0]) || (free[1] && onBound[1]) || (free[2] && onBound[2]);
  return { model, a, b, c, seA: se[0]!, seB: se[1]!, seC: se[2]!, n, converged: settled && !anyBound, iterations, logLikelihood };
}

function boundMask(p: Float64Array): [boolean, boolean, boolean] {
  const { aMin, aMax, bMin, bMax, cMin, cMax } = CALIBRATION_BOUNDS;
  return [p[0]! <= aMin || p[0]! >= aMax, p[1]! <= bMin || p[1]! >= bMax, p[2]! <= cMin || p[2]! >= cMax];
}

/** Newton-Raphson / Fisher scoring with step halving, projected onto the box. */
function fitItem(sample: Sample, D: number, start: readonly [number, number, number], free: Free): Fit {
  const { aMin, aMax, bMin, bMax, cMin, cMax } = CALIBRATION_BOUNDS;
  return maximize<Evaluation>(
    {
      lower: [aMin, bMin, cMin],
      upper: [aMax, bMax, cMax],
      create: createEvaluation,
      evaluate: (p, out) => evaluate(sample, p, D, free[2], out),
      newton: (e) => e.observed,
      fallback: (e) => e.info,
    },
    start,
    free,
  );
}

function createEvaluation(): Evaluation {
  return { ll: 0, objective: 0, grad: new Float64Array(3), info: new Float64Array(9), observed: new Float64Array(9) };
}

/**
 * Log-likelihood, score and expected information of P = c + (1 - c) L(D a (theta - b)).
 * With rho = L / P (1 when c = 0), every term stays finite even where L underflows:
 * dP/da = (1-c) L M z_a, dP/db = (1-c) L M z_b, dP/dc = M, with M = 1 - L,
 * z_a = D (theta - b), z_b = -D a; information terms are P_j P_k / (P Q).
 */
function evaluate(sample: Sample, p: Float64Array, D: number, withC: boolean, out: Evaluation): Evaluation {
  const a = p[0]!;
  const b = p[1]!;
  const c = p[2]!;
  const oneMinusC = 1 - c;
  const logOneMinusC = Math.log1p(-c);
  let ll = 0;
  let ga = 0;
  let gb = 0;
  let gc = 0;
  let iaa = 0;
  let iab = 0;
  let ibb = 0;
  let iac = 0;
  let ibc = 0;
  let icc = 0;
  let haa = 0;
  let hab = 0;
  let hbb = 0;
  let hac = 0;
  let hbc = 0;
  let hcc = 0;
  const zb = -D * a;
  for (let i = 0; i < sample.n; i++) {
    const za = D * (sample.theta[i]! - b);
    const z = a * za;
    const e = Math.exp(-Math.abs(z));
    const inv = 1 / (1 + e);
    const L = z >= 0 ? inv : e * inv;
    const M = z >= 0 ? e * inv : inv;
    const log1pE = Math.log1p(e);
    const logL = z >= 0 ? -log1pE : z - log1pE;
    const logM = z >= 0 ? -z - log1pE : -log1pE;
    const P = c + oneMinusC * L;
    const rho = c > 0 ? L / P : 1;
    const ml = M - L;
    if (sample.x[i] === 1) {
      // log P: second derivatives P_jk / P - (P_j / P)(P_k / P).
      ll += c > 0 ? Math.log(P) : logL;
      const s = oneMinusC * M * rho;
      const fa = s * za;
      const fb = s * zb;
      const fc = withC ? M / P : 0; // P may underflow when c = 0 is held fixed
      ga += fa;
      gb += fb;
      gc += fc;
      haa += fa * fa - s * ml * za * za;
      hab += fa * fb - s * (ml * za * zb - D);
      hbb += fb * fb - s * ml * zb * zb;
      hac += fa * fc + M * rho * za;
      hbc += fb * fc + M * rho * zb;
      hcc += fc * fc;
    } else {
      // log Q: second derivatives -P_jk / Q - (P_j / Q)(P_k / Q).
      ll += logOneMinusC + logM;
      const fa = L * za;
      const fb = L * zb;
      const fc = 1 / oneMinusC;
      ga -= fa;
      gb -= fb;
      gc -= fc;
      haa += fa * fa + L * ml * za * za;
      hab += fa * fb + L * (ml * za * zb - D);
      hbb += fb * fb + L * ml * zb * zb;
      hcc += fc * fc; // log Q = log(1 - c) + log M: no (a, c) or (b, c) term.
    }
    const w = oneMinusC * L * M * rho;
    iaa += w * za * za;
    iab += w * za * zb;
    ibb += w * zb * zb;
    if (withC) {
      const v = M * rho;
      iac += v * za;
      ibc += v * zb;
      icc += M / (oneMinusC * P);
    }
  }
  let objective = ll;
  if (withC) {
    const { alpha, beta } = C_PRIOR;
    objective += (alpha - 1) * Math.log(c) + (beta - 1) * logOneMinusC;
    gc += (alpha - 1) / c - (beta - 1) / oneMinusC;
    const curvature = (alpha - 1) / (c * c) + (beta - 1) / (oneMinusC * oneMinusC);
    icc += curvature;
    hcc += curvature;
  }
  out.ll = ll;
  out.objective = objective;
  out.grad[0] = ga;
  out.grad[1] = gb;
  out.grad[2] = withC ? gc : 0;
  const info = out.info;
  info[0] = iaa;
  info[1] = iab;
  info[2] = iac;
  info[3] = iab;
  info[4] = ibb;
  info[5] = ibc;
  info[6] = iac;
  info[7] = ibc;
  info[8] = icc;
  const observed = out.observed;
  observed[0] = haa;
  observed[1] = hab;
  observed[2] = hac;
  observed[3] = hab;
  observed[4] = hbb;
  observed[5] = hbc;
  observed[6] = hac;
  observed[7] = hbc;
  observed[8] = hcc;
  return out;
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
