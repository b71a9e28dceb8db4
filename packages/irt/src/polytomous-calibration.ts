// Online calibration of polytomous pretest items (Samejima's GRM, Muraki's GPCM): the
// same marginal likelihood over each examinee's ability distribution as the dichotomous
// calibration (src/marginal-calibration.ts), so uncertain abilities widen the SEs
// instead of attenuating a. With exact thetas (no se) it is plain fixed-theta ML.

import { CALIBRATION_BOUNDS, MIN_SAMPLE_2PL } from './calibration.js';
import { gradedTerms, partialCreditTerms } from './calibration-terms.js';
import type { NormalPrior } from './estimators/options.js';
import { D_LOGISTIC } from './model.js';
import { standardErrors } from './calibration-newton.js';
import { fitMarginal, toMarginalSample, type AbilityDistribution, type MarginalProblem } from './marginal-calibration.js';
import { MAX_STEPS, type GeneralizedPartialCreditItem, type GradedResponseItem } from './polytomous.js';

export interface PolytomousCalibrationResponse extends AbilityDistribution {
  /** The category scored, 0..categories - 1. */
  readonly category: number;
}

export interface PolytomousCalibrationOptions {
  readonly model: 'GRM' | 'GPCM';
  /** K + 1: the item's number of categories (2..31), observed or not. */
  readonly categories: number;
  readonly D?: number;
  readonly quadraturePoints?: number;
  /** As for calibrateItem: the population prior that turns ML estimates (MLE, WLE) into posteriors. */
  readonly abilityPrior?: NormalPrior;
}

export interface PolytomousCalibrationResult {
  readonly model: 'GRM' | 'GPCM';
  /** The fitted item, ready for a bank (GRM thresholds b, GPCM steps delta). */
  readonly item: GradedResponseItem | GeneralizedPartialCreditItem;
  readonly a: number;
  /** GRM b_1..b_K or GPCM delta_1..delta_K. */
  readonly steps: readonly number[];
  /** Standard errors from the marginal observed information; null for a parameter on a bound. */
  readonly seA: number | null;
  readonly seSteps: ReadonlyArray<number | null>;
  readonly n: number;
  /** False when the iterations did not settle, a parameter sits on a bound, a category was never used or n < MIN_SAMPLE_2PL. */
  readonly converged: boolean;
  readonly iterations: number;
  readonly logLikelihood: number;
}

/**
 * Marginal ML of a GRM or GPCM item's (a, steps): Newton on the likelihood integrated over
 * each examinee's N(theta, se^2) (or given posterior), in the box a in [0.01, 5], steps in
 * [-6, 6], GRM thresholds kept strictly increasing. Starting values from the category
 * proportions. Thin data get a finite answer with converged = false.
 */
export function calibratePolytomousItem(
  responses: ReadonlyArray<PolytomousCalibrationResponse>,
  options: PolytomousCalibrationOptions,
): PolytomousCalibrationResult {
  const { model, categories } = options;
  const D = options.D ?? D_LOGISTIC;
  if (model !== 'GRM' && model !== 'GPCM') throw new RangeError(`model must be 'GRM' or 'GPCM', got ${String(model)}`);
  if (!(Number.isInteger(categories) && categories >= 2 && categories <= MAX_STEPS + 1)) {
    throw new RangeError(`categories must be an integer in 2..${MAX_STEPS + 1}, got ${categories}`);
  }
  if (!(D > 0) || !Number.isFinite(D)) throw new RangeError(`D must be finite and > 0, got ${D}`);
  const K = categories - 1;
  const n = responses.length;
  const counts = new Array<number>(categories).fill(0);
  let mean = 0;
  responses.forEach((r, i) => {
    if (!(Number.isInteger(r.category) && r.category >= 0 && r.category <= K)) {
      throw new RangeError(`response ${i}: category must be an integer in 0..${K}, got ${r.category}`);
    }
    counts[r.category]!++;
    mean += r.theta;
  });
  mean = n === 0 ? 0 : mean / n;
  const sample = toMarginalSample(responses, responses.map((r) => r.category), options.quadraturePoints, options.abilityPrior);
  const { aMin, aMax, bMin, bMax } = CALIBRATION_BOUNDS;
  const start = [1, ...startingSteps(model, counts, mean, D)];
  const problem: MarginalProblem = {
    terms: model === 'GRM' ? gradedTerms : partialCreditTerms,
    D,
    lower: [aMin, ...new Array<number>(K).fill(bMin)],
    upper: [aMax, ...new Array<number>(K).fill(bMax)],
    valid: model === 'GRM' ? increasing : undefined,
  };
  const free = new Array<boolean>(K + 1).fill(true);
  const fit = n === 0 ? null : fitMarginal(sample, problem, start, free);
  const p = fit === null ? Float64Array.from(start) : fit.p;
  const onBound = Array.from(p, (v, j) => v <= problem.lower[j]! || v >= problem.upper[j]!);
  const se = fit === null ? new Array<number | null>(K + 1).fill(null) : standardErrors(fit.evaluation.observed, onBound.map((b) => !b));
  const steps = Object.freeze(Array.from(p.subarray(1)));
  const a = p[0]!;
  const item = model === 'GRM' ? Object.freeze({ model, a, b: steps }) : Object.freeze({ model, a, delta: steps });
  const thin = n < MIN_SAMPLE_2PL || counts.some((c) => c === 0);
  return {
    model,
    item,
    a,
    steps,
    seA: se[0]!,
    seSteps: Object.freeze(se.slice(1)),
    n,
    converged: fit !== null && fit.settled && !thin && !onBound.some(Boolean),
    iterations: fit?.iterations ?? 0,
    logLikelihood: fit?.evaluation.ll ?? 0,
  };
}

/**
 * GRM: b_k where a unit-slope logistic at the mean theta gives the observed P(X >= k);
 * GPCM: delta_k from the adjacent-category log odds log(n_k / n_{k-1}). Half-counts keep
 * empty categories finite; GRM thresholds are spread to rise strictly.
 */
function startingSteps(model: 'GRM' | 'GPCM', counts: readonly number[], mean: number, D: number): number[] {
  const K = counts.length - 1;
  const total = counts.reduce((s, c) => s + c, 0);
  const steps: number[] = [];
  const { bMin, bMax } = CALIBRATION_BOUNDS;
  const clamp = (x: number): number => Math.min(0.9 * bMax, Math.max(0.9 * bMin, x));
  if (model === 'GRM') {
    let atLeast = total;
    for (let k = 1; k <= K; k++) {
      atLeast -= counts[k - 1]!;
      const pk = (atLeast + 0.5) / (total + 1);
      const b = clamp(mean - Math.log(pk / (1 - pk)) / D);
      steps.push(k > 1 && b <= steps[k - 2]! + 1e-3 ? steps[k - 2]! + 1e-3 : b);
    }
  } else {
    for (let k = 1; k <= K; k++) steps.push(clamp(mean - Math.log((counts[k]! + 0.5) / (counts[k - 1]! + 0.5)) / D));
  }
  return steps;
}

function increasing(p: Float64Array): boolean {
  for (let j = 2; j < p.length; j++) if (!(p[j]! > p[j - 1]!)) return false;
  return true;
}
