// When a CAT ends. Rules combine: the minimum length always holds, after it any
// single satisfied rule stops the test (catR's checkStopRule() with several rules).

import { normalQuantile } from './normal.js';

/**
 * catR's "classification" rule: stop once the interval theta ± z(1 - alpha/2) SE lies
 * wholly on one side of the cut score (touching it counts, as in checkStopRule()).
 */
export interface ClassificationRule {
  /** Cut score on the ability scale. */
  readonly cut: number;
  /** 1 - confidence of the interval; catR's default 0.05 (a 95% interval). */
  readonly alpha?: number;
}

export interface StoppingRules {
  /** Never stop before this many items (default 0). */
  readonly minItems?: number;
  /** Stop once this many items were given. */
  readonly maxItems?: number;
  /** Stop once the standard error is at or below this value. */
  readonly seTarget?: number;
  /** Stop once this much time (ms) has been used. */
  readonly timeLimitMs?: number;
  /** Stop once the examinee is classified above or below a cut score. */
  readonly classification?: ClassificationRule;
}

export type StopReason = 'max-items' | 'se-target' | 'classification' | 'time-limit' | 'bank-exhausted';

/** Where the interval around theta lies relative to the cut score. */
export type Classification = 'above' | 'below' | 'undecided';

export interface StoppingState {
  readonly itemsAdministered: number;
  readonly se: number;
  /** Current ability estimate; needed by the classification rule. */
  readonly theta?: number;
  /** Time used so far; the caller measures it, the engine never reads a clock. */
  readonly elapsedMs?: number;
}

export function validateStoppingRules(rules: StoppingRules): void {
  const { minItems = 0, maxItems, seTarget, timeLimitMs, classification } = rules;
  if (!(Number.isInteger(minItems) && minItems >= 0)) throw new RangeError('minItems must be an integer >= 0');
  if (maxItems !== undefined && !(Number.isInteger(maxItems) && maxItems >= 1)) {
    throw new RangeError('maxItems must be an integer >= 1');
  }
  if (maxItems !== undefined && maxItems < minItems) throw new RangeError('maxItems must be >= minItems');
  if (seTarget !== undefined && !(seTarget > 0)) throw new RangeError('seTarget must be > 0');
  if (timeLimitMs !== undefined && !(timeLimitMs >= 0)) throw new RangeError('timeLimitMs must be >= 0');
  if (classification !== undefined) {
    if (!Number.isFinite(classification.cut)) throw new RangeError('classification cut must be a finite number');
    const { alpha = 0.05 } = classification;
    if (!(alpha > 0 && alpha < 1)) throw new RangeError('classification alpha must be in (0, 1)');
  }
}

/** 'above' when theta - z SE >= cut, 'below' when theta + z SE <= cut, else 'undecided'. */
export function classify(rule: ClassificationRule, theta: number, se: number): Classification {
  const z = normalQuantile(1 - (rule.alpha ?? 0.05) / 2);
  if (theta - z * se >= rule.cut) return 'above';
  if (theta + z * se <= rule.cut) return 'below';
  return 'undecided';
}

/**
 * The reason to stop now, or null to go on. Below minItems nothing stops the test;
 * running out of items is the caller's business (it then has no item to give). A
 * decided classification is named first (it is the outcome a classification test is
 * for) and needs at least one answer. Without a classification rule the type says so,
 * so callers that never classify need not handle the reason.
 */
export function stopReason(
  rules: StoppingRules & { readonly classification?: undefined },
  state: StoppingState,
): Exclude<StopReason, 'classification'> | null;
export function stopReason(rules: StoppingRules, state: StoppingState): StopReason | null;
export function stopReason(rules: StoppingRules, state: StoppingState): StopReason | null {
  const n = state.itemsAdministered;
  if (n < (rules.minItems ?? 0)) return null;
  // Before any answer the interval is the prior's, which says nothing about the examinee.
  if (rules.classification !== undefined && n > 0) {
    if (state.theta === undefined) throw new RangeError('the classification rule needs the current theta');
    if (classify(rules.classification, state.theta, state.se) !== 'undecided') return 'classification';
  }
  if (rules.maxItems !== undefined && n >= rules.maxItems) return 'max-items';
  if (rules.seTarget !== undefined && state.se <= rules.seTarget) return 'se-target';
  if (rules.timeLimitMs !== undefined && (state.elapsedMs ?? 0) >= rules.timeLimitMs) return 'time-limit';
  return null;
}
