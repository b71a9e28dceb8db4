// When a CAT ends. Rules combine: the minimum length always holds, after it any
// single satisfied rule stops the test (catR's checkStopRule() with several rules).

export interface StoppingRules {
  /** Never stop before this many items (default 0). */
  readonly minItems?: number;
  /** Stop once this many items were given. */
  readonly maxItems?: number;
  /** Stop once the standard error is at or below this value. */
  readonly seTarget?: number;
  /** Stop once this much time (ms) has been used. */
  readonly timeLimitMs?: number;
}

export type StopReason = 'max-items' | 'se-target' | 'time-limit' | 'bank-exhausted';

export interface StoppingState {
  readonly itemsAdministered: number;
  readonly se: number;
  /** Time used so far; the caller measures it, the engine never reads a clock. */
  readonly elapsedMs?: number;
}

export function validateStoppingRules(rules: StoppingRules): void {
  const { minItems = 0, maxItems, seTarget, timeLimitMs } = rules;
  if (!(Number.isInteger(minItems) && minItems >= 0)) throw new RangeError('minItems must be an integer >= 0');
  if (maxItems !== undefined && !(Number.isInteger(maxItems) && maxItems >= 1)) {
    throw new RangeError('maxItems must be an integer >= 1');
  }
  if (maxItems !== undefined && maxItems < minItems) throw new RangeError('maxItems must be >= minItems');
  if (seTarget !== undefined && !(seTarget > 0)) throw new RangeError('seTarget must be > 0');
  if (timeLimitMs !== undefined && !(timeLimitMs >= 0)) throw new RangeError('timeLimitMs must be >= 0');
}

/**
 * The reason to stop now, or null to go on. Below minItems nothing stops the test;
 * running out of items is the caller's business (it then has no item to give).
 */
export function stopReason(rules: StoppingRules, state: StoppingState): StopReason | null {
  const n = state.itemsAdministered;
  if (n < (rules.minItems ?? 0)) return null;
  if (rules.maxItems !== undefined && n >= rules.maxItems) return 'max-items';
  if (rules.seTarget !== undefined && state.se <= rules.seTarget) return 'se-target';
  if (rules.timeLimitMs !== undefined && (state.elapsedMs ?? 0) >= rules.timeLimitMs) return 'time-limit';
  return null;
}
