// A root finder for the estimating equations that can never return NaN or leave the
// search range, uses catR's endpoint rule so bounded answers agree, and picks the
// best root when a 3PL/4PL likelihood has several.

/** Value and slope of an estimating function at theta. */
export type Equation = (theta: number) => { value: number; slope: number };

const X_TOL = 1e-10;
const MAX_ITER = 100;
/** Scan step for sign changes; two roots closer than this can hide each other. */
export const SCAN_STEP = 0.1;

/**
 * Solves f(theta) = 0 on [lower, upper], f being the derivative of a log objective
 * (log-likelihood, log-posterior, or Warm's weighted log-likelihood).
 * - Same sign at both ends: no bracketed root; like catR's thetaEst(), return the end
 *   f points to (lower if f < 0 at both ends, upper if f > 0 at both).
 * - Otherwise every sign change on a SCAN_STEP grid is refined by Newton-Raphson
 *   safeguarded by bisection (Numerical Recipes' rtsafe), and when there are several
 *   roots the one with the highest objective (the integral of f) is returned.
 */
export function solveInRange(f: Equation, lower: number, upper: number): number {
  const fl = f(lower).value;
  const fh = f(upper).value;
  if (fl < 0 && fh < 0) return lower;
  if (fl > 0 && fh > 0) return upper;
  const cells = Math.max(1, Math.ceil((upper - lower) / SCAN_STEP - 1e-9));
  const h = (upper - lower) / cells;
  const roots: number[] = [];
  let x0 = lower;
  let v0 = fl;
  for (let k = 1; k <= cells; k++) {
    const x1 = k === cells ? upper : lower + k * h;
    const v1 = k === cells ? fh : f(x1).value;
    if (v0 === 0) roots.push(x0);
    else if (Number.isFinite(v0) && Number.isFinite(v1) && v1 !== 0 && v0 > 0 !== v1 > 0) {
      roots.push(v0 < 0 ? rtsafe(f, x0, x1, v0, v1) : rtsafe(f, x1, x0, v1, v0));
    }
    x0 = x1;
    v0 = v1;
  }
  if (v0 === 0) roots.push(x0);
  if (roots.length === 0) return fl > 0 ? upper : lower; // only NaN cells: stay defined
  let best = roots[0] as number;
  let bestLevel = 0;
  let level = 0;
  for (let j = 1; j < roots.length; j++) {
    level += integrate(f, roots[j - 1] as number, roots[j] as number);
    if (level > bestLevel) {
      bestLevel = level;
      best = roots[j] as number;
    }
  }
  return best;
}

/** Newton-Raphson kept inside [neg, pos] (f(neg) < 0 < f(pos)) by bisection. */
function rtsafe(f: Equation, neg: number, pos: number, fNeg: number, fPos: number): number {
  let x = neg - (fNeg * (pos - neg)) / (fPos - fNeg); // secant start
  let dxOld = Math.abs(pos - neg);
  let dx = dxOld;
  let { value, slope } = f(x);
  for (let iter = 0; iter < MAX_ITER; iter++) {
    if (value === 0) return x;
    if (value < 0) neg = x;
    else pos = x;
    const newtonOutside = ((x - pos) * slope - value) * ((x - neg) * slope - value) > 0;
    if (newtonOutside || !Number.isFinite(slope) || Math.abs(2 * value) > Math.abs(dxOld * slope)) {
      dxOld = dx;
      dx = 0.5 * (pos - neg);
      x = neg + dx;
    } else {
      dxOld = dx;
      dx = value / slope;
      x -= dx;
    }
    if (Math.abs(dx) < X_TOL) return x;
    ({ value, slope } = f(x));
    if (Number.isNaN(value)) return 0.5 * (neg + pos);
  }
  return x;
}

/** Integral of f's value over [a, b]: 8-point Gauss-Legendre per SCAN_STEP panel. */
function integrate(f: Equation, a: number, b: number): number {
  const panels = Math.max(1, Math.ceil(Math.abs(b - a) / SCAN_STEP));
  const w = (b - a) / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (p + 0.5) * w;
    for (let i = 0; i < GL_X.length; i++) {
      sum += (GL_W[i] as number) * f(mid + 0.5 * w * (GL_X[i] as number)).value;
    }
  }
  return 0.5 * w * sum;
}

const GL_X = [
  -0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498,
  0.525532409916329, 0.7966664774136267, 0.9602898564975363,
];
const GL_W = [
  0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362,
  0.3137066458778873, 0.2223810344533745, 0.1012285362903763,
];
