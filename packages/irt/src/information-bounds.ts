// Upper bounds of Fisher information, so item selection can skip whole groups of items
// that cannot beat the candidates it already holds. A bound that is ever below an item's
// information would change which item is chosen, so each one here is proved (in the
// comments) rather than fitted, and the scan adds a margin for rounding (SLACK).
//
// For a 4PL item with s = D a, r = d - c, q = 1 - d, psi = logistic(s (theta - b)):
//   I = s^2 psi (1 - psi) * [r psi / (c + r psi)] * [r (1 - psi) / (q + r (1 - psi))]
// (P = c + r psi and 1 - P = q + r (1 - psi)); psi (1 - psi) = h(|z|) = e / (1 + e)^2
// with e = exp(-|z|), and both brackets lie in (0, 1].

import type { PolytomousItem } from './polytomous.js';

/** Relative and absolute margin a bound gets before it is compared with a computed information. */
export const SLACK_RELATIVE = 1e-9;
export const SLACK_ABSOLUTE = 1e-300;

/** psi (1 - psi) at |z| = x. */
function h(x: number): number {
  const e = Math.exp(-x);
  return e / ((1 + e) * (1 + e));
}

// x^2 h(x) rises on [0, X_STAR] and falls after it: its derivative has the sign of
// 2 - x tanh(x / 2). X_STAR solves x tanh(x / 2) = 2 (Newton from 2.4); H_STAR is the maximum.
const X_STAR = ((): number => {
  let x = 2.4;
  for (let i = 0; i < 50; i++) {
    const t = Math.tanh(x / 2);
    x -= (x * t - 2) / (t + (x / 2) * (1 - t * t));
  }
  return x;
})();
const H_STAR = X_STAR * X_STAR * h(X_STAR);

/**
 * max of s^2 h(s delta) over s in [sMin, sMax]: the slope part of the bound for items at
 * least `delta` away from theta. With x = s delta this is x^2 h(x) / delta^2, unimodal in s
 * with its top at s = X_STAR / delta; the 1e-9 guard keeps a top that falls just inside
 * the range (where a rounded X_STAR could misplace it) on the H_STAR branch.
 */
export function slopeBound(sMin: number, sMax: number, delta: number): number {
  if (!(delta > 0)) return (sMax * sMax) / 4;
  const top = X_STAR / delta;
  if (sMax <= top * (1 - 1e-9)) return sMax * sMax * h(sMax * delta);
  if (sMin >= top * (1 + 1e-9)) return sMin * sMin * h(sMin * delta);
  return H_STAR / (delta * delta);
}

/**
 * Upper bound of the information at theta of every dichotomous item with b in [lo, hi],
 * D a in [sMin, sMax], c >= cMin, 1 - d >= qMin and d - c <= rMax (cr = cMin / rMax,
 * qr = qMin / rMax), and whose information never exceeds `peak`.
 * Items above theta (theta < lo, so z <= -sMin delta): psi <= 1 / (1 + exp(sMin delta)), and
 * the first bracket, 1 / (1 + c / (r psi)), is at most 1 / (1 + cr (1 + exp(sMin delta))).
 * Items below theta: the same for 1 - psi and the second bracket. Each factor is bounded
 * on its own, so the product bounds the information.
 */
export function regionBound(
  lo: number,
  hi: number,
  sMin: number,
  sMax: number,
  cr: number,
  qr: number,
  peak: number,
  theta: number,
): number {
  let delta = 0;
  let first = 1 / (1 + cr);
  let second = 1 / (1 + qr);
  if (theta < lo) {
    delta = lo - theta;
    if (cr > 0) first = 1 / (1 + cr * (1 + Math.exp(sMin * delta)));
  } else if (theta > hi) {
    delta = theta - hi;
    if (qr > 0) second = 1 / (1 + qr * (1 + Math.exp(sMin * delta)));
  }
  const bound = slopeBound(sMin, sMax, delta) * first * second;
  return bound < peak ? bound : peak;
}

/** The bracket product psi (1 - psi) * [..] * [..] of the 4PL information at logit z. */
function shape(z: number, c: number, q: number, r: number): number {
  const psi = 1 / (1 + Math.exp(-z));
  const phi = 1 - psi;
  return psi * phi * ((r * psi) / (c + r * psi)) * ((r * phi) / (q + r * phi));
}

/**
 * The largest information of a dichotomous item over all theta (before SLACK), used to
 * order items and to bound an item near theta. 2PL: s^2 / 4 exactly. Otherwise the 4PL
 * information has a single maximum (Magis 2013, Applied Psychological Measurement 37(4),
 * which gives it in closed form as the root of a cubic), found here by golden-section
 * search on z, which a unimodal function cannot mislead; 1e-7 covers what the search
 * and the rounding of the 3PL's top leave (the function is flat at its top, so the error
 * is of the order of the squared final interval, ~1e-16).
 */
export function dichotomousPeak(s: number, c: number, d: number): number {
  if (c === 0 && d === 1) return (s * s) / 4;
  const r = d - c;
  const q = 1 - d;
  // 3PL: the top is at z = log((1 + sqrt(1 + 8c)) / 2) (Birnbaum; informationPeak3pl()).
  if (d === 1) return s * s * shape(Math.log((1 + Math.sqrt(1 + 8 * c)) / 2), c, q, r) * (1 + 1e-7);
  const ratio = (Math.sqrt(5) - 1) / 2;
  // The top lies near z = 0: at log((1 + sqrt(1 + 8c)) / 2) < 0.7 for a 3PL item, and at
  // minus that with 1 - d for c when c = 0 (the model's mirror image); [-8, 8] holds it
  // with room to spare, and 45 steps shrink that to ~1e-8.
  let lo = -8;
  let hi = 8;
  let x1 = hi - ratio * (hi - lo);
  let x2 = lo + ratio * (hi - lo);
  let f1 = shape(x1, c, q, r);
  let f2 = shape(x2, c, q, r);
  for (let i = 0; i < 45; i++) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + ratio * (hi - lo);
      f2 = shape(x2, c, q, r);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - ratio * (hi - lo);
      f1 = shape(x1, c, q, r);
    }
  }
  return s * s * Math.max(f1, f2) * (1 + 1e-7);
}

/**
 * An information no theta can exceed for a polytomous item (before SLACK). The information
 * is the variance of the score d log P_k / d theta, and a variable within a range of width
 * w has variance at most w^2 / 4 (Popoviciu). Partial-credit family: s^2 Var(k), k in 0..K,
 * so s^2 K^2 / 4. NRM: Var(a_k) with a_0 = 0. GRM: the score of category k is
 * D a (1 - P*_k - P*_(k+1)) with 1 >= P*_k >= P*_(k+1) >= 0, so within [-D a, D a]: (D a)^2.
 */
export function polytomousPeak(item: PolytomousItem, D: number): number {
  switch (item.model) {
    case 'GRM':
      return (D * item.a) ** 2;
    case 'NRM': {
      let lo = 0;
      let hi = 0;
      for (const a of item.a) {
        lo = Math.min(lo, a);
        hi = Math.max(hi, a);
      }
      return ((hi - lo) * (hi - lo)) / 4;
    }
    default: {
      const s = item.model === 'GPCM' ? D * item.a : D;
      const K = item.delta.length;
      return (s * s * K * K) / 4;
    }
  }
}
