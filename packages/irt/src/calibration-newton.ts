// The optimizer of item calibration, shared by the point and marginal fits: Newton steps
// with a positive-definite fallback, step halving and a box, and standard errors, all on
// the parameters that are free and off their bounds (the active block of an m x m matrix).

export interface AscentEvaluation {
  objective: number;
  readonly grad: Float64Array;
}

export interface AscentProblem<E extends AscentEvaluation> {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  create(): E;
  evaluate(p: Float64Array, out: E): E;
  /** Newton's matrix: minus the Hessian, used where positive definite. */
  newton(e: E): ArrayLike<number>;
  /** Positive semi-definite (expected information, score cross-products): an ascent direction, ridged if singular. */
  fallback(e: E): ArrayLike<number>;
  /** Extra admissibility checked before a candidate is evaluated. */
  valid?: ((p: Float64Array) => boolean) | undefined;
}

export interface Ascent<E> {
  readonly p: Float64Array;
  readonly evaluation: E;
  readonly iterations: number;
  readonly settled: boolean;
}

const MAX_ITERATIONS = 200;
/** A Newton step this small (in parameter units) is the last: after it the error is ~1e-12. */
const TOLERANCE = 1e-6;
const MAX_HALVINGS = 40;

/** Maximizes the problem's objective from start over the free parameters, projected onto [lower, upper]. */
export function maximize<E extends AscentEvaluation>(problem: AscentProblem<E>, start: ArrayLike<number>, free: readonly boolean[]): Ascent<E> {
  const m = start.length;
  const p = Float64Array.from(start);
  const candidate = new Float64Array(m);
  const step = new Float64Array(m);
  let current = problem.evaluate(p, problem.create());
  let trial = problem.create();
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
    // Newton-Raphson where the observed information is positive definite (fast near
    // the optimum), the fallback where it is not (always an ascent direction).
    if (!solve(problem.newton(current), current.grad, active, step, false) && !solve(problem.fallback(current), current.grad, active, step, true)) break;
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
      problem.evaluate(candidate, trial);
      if (trial.objective >= current.objective) {
        accepted = true;
        break;
      }
    }
    iterations++;
    if (!accepted) {
      // No ascent left along the direction: we are at the optimum to rounding.
      settled = size < 1e-5;
      break;
    }
    const gain = trial.objective - current.objective;
    p.set(candidate);
    [current, trial] = [trial, current];
    if (size < TOLERANCE || (gain <= 1e-13 * Math.abs(current.objective) && size < 1e-4)) {
      // The objective is flat to rounding: further steps only chase noise in the score.
      settled = true;
      break;
    }
  }
  return { p, evaluation: current, iterations, settled };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Cholesky of the active block of the m x m matrix `a`; null when not positive definite. */
function cholesky(a: ArrayLike<number>, active: readonly boolean[]): { index: number[]; l: Float64Array } | null {
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

function solve(a: ArrayLike<number>, grad: Float64Array, active: readonly boolean[], step: Float64Array, ridge: boolean): boolean {
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
export function standardErrors(info: ArrayLike<number>, estimated: readonly boolean[]): Array<number | null> {
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
