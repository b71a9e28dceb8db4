// Gauss-Hermite quadrature for expectations over a normal distribution: what the
// calibration with uncertain abilities integrates each examinee's N(theta-hat, SE^2) over.

export interface Quadrature {
  /** Nodes of the standard normal. */
  readonly nodes: Float64Array;
  /** Weights summing to 1: E[f(Z)] ~ sum w_q f(z_q), exact for polynomials up to degree 2Q - 1. */
  readonly weights: Float64Array;
}

const cache = new Map<number, Quadrature>();

/**
 * Q-point rule for N(0, 1), from the physicists' Hermite polynomials by Newton's method
 * on their roots (the classic recurrence of Numerical Recipes' gauher), then rescaled:
 * z = sqrt(2) x, w = w_x / sqrt(pi).
 */
export function normalQuadrature(q: number): Quadrature {
  if (!Number.isInteger(q) || q < 1 || q > 100) throw new RangeError(`quadrature points must be an integer in [1, 100], got ${q}`);
  const cached = cache.get(q);
  if (cached !== undefined) return cached;
  const x = new Float64Array(q);
  const w = new Float64Array(q);
  const m = Math.floor((q + 1) / 2);
  const pim4 = Math.pow(Math.PI, -0.25);
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * q + 1) - 1.85575 * Math.pow(2 * q + 1, -1 / 6);
    else if (i === 1) z -= (1.14 * Math.pow(q, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 1; j <= q; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * q) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-14 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[q - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[q - 1 - i] = w[i]!;
  }
  const nodes = new Float64Array(q);
  const weights = new Float64Array(q);
  let total = 0;
  for (let i = 0; i < q; i++) {
    nodes[i] = Math.SQRT2 * x[q - 1 - i]!;
    weights[i] = w[q - 1 - i]! / Math.sqrt(Math.PI);
    total += weights[i]!;
  }
  // Renormalize away the last ulps so a constant integrates to exactly 1.
  for (let i = 0; i < q; i++) weights[i] = weights[i]! / total;
  const rule = Object.freeze({ nodes, weights });
  cache.set(q, rule);
  return rule;
}
