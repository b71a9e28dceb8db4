// One response's log-likelihood at one theta, with its gradient and Hessian in the item's
// parameters: what the marginal calibration averages over each examinee's ability
// distribution. Written as ratios (P'/P) so terms stay finite where a probability is tiny.

import { MAX_STEPS } from './polytomous.js';

/** Filled in place; `hess` is m x m row-major, the second derivatives of log P(x | theta). */
export interface NodeTerms {
  logP: number;
  readonly score: Float64Array;
  readonly hess: Float64Array;
}

/** log P(x | theta, params) and its derivatives; `m` = params.length. */
export type NodeTermsFn = (theta: number, params: Float64Array, x: number, D: number, out: NodeTerms) => void;

export const MAX_CALIBRATION_PARAMS = MAX_STEPS + 1;

export function createNodeTerms(m: number): NodeTerms {
  return { logP: 0, score: new Float64Array(m), hess: new Float64Array(m * m) };
}

/**
 * Dichotomous P = c + (1 - c) L(D a (theta - b)), params (a, b, c), x = 1 correct.
 * With psi = L M (M = 1 - L), dP = ((1-c) psi D (theta-b), -(1-c) psi D a, M) and
 * d2P: aa (1-c) psi (M-L) D^2 (theta-b)^2, ab (1-c)(psi (M-L) D (theta-b)(-D a) - psi D),
 * bb (1-c) psi (M-L) D^2 a^2, ac -psi D (theta-b), bc psi D a, cc 0;
 * log P: s = dP/P, H = d2P/P - s s'; log Q: s = -dP/Q, H = -d2P/Q - s s'.
 * The c entries are left 0 when c is 0 (held fixed): there M/P may overflow.
 */
export const dichotomousTerms: NodeTermsFn = (theta, params, x, D, out) => {
  const a = params[0]!;
  const b = params[1]!;
  const c = params[2]!;
  const oneMinusC = 1 - c;
  const u = D * (theta - b);
  const z = a * u;
  const e = Math.exp(-Math.abs(z));
  const inv = 1 / (1 + e);
  const L = z >= 0 ? inv : e * inv;
  const M = z >= 0 ? e * inv : inv;
  const log1pE = Math.log1p(e);
  const ml = M - L;
  const withC = c > 0;
  const s = out.score;
  const h = out.hess;
  let f: number; // psi (1 - c) / P (x = 1) or psi (1 - c) / Q (x = 0)
  let g: number; // psi / P or psi / Q, for the c cross terms
  let sc: number;
  if (x === 1) {
    const P = c + oneMinusC * L;
    out.logP = withC ? Math.log(P) : z >= 0 ? -log1pE : z - log1pE;
    const rho = withC ? (oneMinusC * L) / P : 1;
    f = M * rho;
    g = withC ? f / oneMinusC : 0;
    sc = withC ? M / P : 0;
    s[0] = f * u;
    s[1] = -f * D * a;
  } else {
    out.logP = Math.log1p(-c) + (z >= 0 ? -z - log1pE : -log1pE);
    f = -L;
    g = withC ? f / oneMinusC : 0;
    sc = withC ? -1 / oneMinusC : 0;
    s[0] = f * u;
    s[1] = -f * D * a;
  }
  s[2] = sc;
  // d2P/P (or -d2P/Q) via f, then minus s s'.
  const haa = f * ml * u * u;
  const hab = f * (ml * u * -D * a - D);
  const hbb = f * ml * D * D * a * a;
  const hac = -g * u;
  const hbc = g * D * a;
  h[0] = haa - s[0] * s[0];
  h[1] = hab - s[0] * s[1]!;
  h[2] = hac - s[0] * sc;
  h[3] = h[1]!;
  h[4] = hbb - s[1]! * s[1]!;
  h[5] = hbc - s[1]! * sc;
  h[6] = h[2]!;
  h[7] = h[5]!;
  h[8] = -sc * sc;
};

const gradeScratch = { dP: new Float64Array(MAX_CALIBRATION_PARAMS), d2P: new Float64Array(MAX_CALIBRATION_PARAMS * MAX_CALIBRATION_PARAMS) };

/**
 * Samejima's GRM, params (a, b_1..b_K): P_x = P*_x - P*_{x+1} with P*_k = L(D a (theta - b_k)),
 * P*_0 = 1, P*_{K+1} = 0. Each P*_k depends on a and b_k only (the 2PL terms above with c = 0);
 * P_x itself from the cancellation-free product L(z_x) M(z_{x+1}) (1 - exp(z_{x+1} - z_x)).
 */
export const gradedTerms: NodeTermsFn = (theta, params, x, D, out) => {
  const m = params.length;
  const K = m - 1;
  const a = params[0]!;
  const { dP, d2P } = gradeScratch;
  dP.fill(0, 0, m);
  d2P.fill(0, 0, m * m);
  let logP = 0;
  let zHi = Infinity;
  for (const [k, sign] of [[x, 1], [x + 1, -1]] as const) {
    if (k < 1 || k > K) continue;
    const u = D * (theta - params[k]!);
    const z = a * u;
    const e = Math.exp(-Math.abs(z));
    const inv = 1 / (1 + e);
    const L = z >= 0 ? inv : e * inv;
    const M = z >= 0 ? e * inv : inv;
    const psi = L * M;
    const ml = M - L;
    if (sign === 1) {
      logP += z >= 0 ? -Math.log1p(e) : z - Math.log1p(e);
      zHi = z;
    } else {
      logP += z >= 0 ? -z - Math.log1p(e) : -Math.log1p(e);
      if (zHi !== Infinity) logP += Math.log(-Math.expm1(z - zHi));
    }
    dP[0] = dP[0]! + sign * psi * u;
    dP[k] = dP[k]! - sign * psi * D * a;
    d2P[0] = d2P[0]! + sign * psi * ml * u * u;
    const cross = sign * psi * (ml * u * -D * a - D);
    d2P[k] = d2P[k]! + cross;
    d2P[k * m] = d2P[k * m]! + cross;
    d2P[k * m + k] = d2P[k * m + k]! + sign * psi * ml * D * D * a * a;
  }
  out.logP = logP;
  const P = Math.exp(logP);
  const s = out.score;
  for (let j = 0; j < m; j++) s[j] = dP[j]! / P;
  for (let j = 0; j < m; j++) for (let l = 0; l < m; l++) out.hess[j * m + l] = d2P[j * m + l]! / P - s[j]! * s[l]!;
};

const partialScratch = { z: new Float64Array(MAX_CALIBRATION_PARAMS), p: new Float64Array(MAX_CALIBRATION_PARAMS), mean: new Float64Array(MAX_CALIBRATION_PARAMS) };

/**
 * Muraki's GPCM, params (a, delta_1..delta_K): log P_x = z_x - log sum_k exp(z_k) with
 * z_k = D a (k theta - C_k), C_k = delta_1 + ... + delta_k. dz_k/da = D (k theta - C_k),
 * dz_k/d delta_t = -D a [t <= k], d2z_k/da d delta_t = -D [t <= k]: the score is
 * dz_x - E_P[dz], the Hessian d2z_x - E_P[d2z] - Cov_P(dz).
 */
export const partialCreditTerms: NodeTermsFn = (theta, params, x, D, out) => {
  const m = params.length;
  const K = m - 1;
  const a = params[0]!;
  const { z, p, mean } = partialScratch;
  let cumulative = 0;
  z[0] = 0;
  for (let k = 1; k <= K; k++) {
    cumulative += params[k]!;
    z[k] = D * a * (k * theta - cumulative);
  }
  let max = -Infinity;
  for (let k = 0; k <= K; k++) max = Math.max(max, z[k]!);
  let sum = 0;
  for (let k = 0; k <= K; k++) sum += Math.exp(z[k]! - max);
  const logSum = max + Math.log(sum);
  for (let k = 0; k <= K; k++) p[k] = Math.exp(z[k]! - logSum);
  out.logP = z[x]! - logSum;
  // dz_k/da = z_k / a; dz_k/d delta_t = -D a for t <= k: E_P[dz/d delta_t] = -D a P(X >= t).
  const dzA = (k: number): number => (k === 0 ? 0 : z[k]! / a);
  let meanA = 0;
  for (let k = 1; k <= K; k++) meanA += p[k]! * dzA(k);
  let tail = 0;
  for (let t = K; t >= 1; t--) {
    tail += p[t]!;
    mean[t] = tail; // P(X >= t)
  }
  const s = out.score;
  const h = out.hess;
  s[0] = dzA(x) - meanA;
  for (let t = 1; t <= K; t++) s[t] = -D * a * ((t <= x ? 1 : 0) - mean[t]!);
  // Cov_P of (dz/da, dz/d delta): with indicators I_t = [X >= t],
  // Var(dz/da), Cov(dz/da, -D a I_t) and Cov(-D a I_t, -D a I_u) = (D a)^2 (P(X >= max) - P_t P_u).
  let varA = 0;
  for (let k = 0; k <= K; k++) varA += p[k]! * (dzA(k) - meanA) ** 2;
  h[0] = -varA;
  for (let t = 1; t <= K; t++) {
    let covAI = 0;
    for (let k = t; k <= K; k++) covAI += p[k]! * (dzA(k) - meanA);
    // d2z_x/da d delta_t - E_P[...] = -D ([t <= x] - P(X >= t)); minus Cov(dz/da, -D a I_t).
    const value = -D * ((t <= x ? 1 : 0) - mean[t]!) + D * a * covAI;
    h[t] = value;
    h[t * m] = value;
    for (let v = t; v <= K; v++) {
      const cov = D * D * a * a * (mean[v]! - mean[t]! * mean[v]!);
      h[t * m + v] = -cov;
      h[v * m + t] = -cov;
    }
  }
};
