// Fixed-theta item calibration: parameter recovery and honest standard errors in
// simulation, agreement with an independent logistic regression and with closed forms,
// and defined answers for data that cannot identify the item.

import t, { type Test } from 'tap';
import {
  CALIBRATION_BOUNDS,
  C_PRIOR,
  MIN_SAMPLE_2PL,
  calibrateItem,
  createRng,
  expectedProportionCorrect,
  probability,
  randomNormal,
} from '../src/index.js';
import type { CalibrationResponse, CalibrationResult, Rng } from '../src/index.js';

interface TrueItem {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

type Key = 'a' | 'b' | 'c';

function simulate(rng: Rng, n: number, item: TrueItem, D = 1): CalibrationResponse[] {
  const params = { ...item, d: 1 };
  return Array.from({ length: n }, () => {
    const theta = randomNormal(rng);
    return { theta, correct: rng.next() < probability(theta, params, D) };
  });
}

function se(result: CalibrationResult, key: Key): number {
  const value = key === 'a' ? result.seA : key === 'b' ? result.seB : result.seC;
  if (value === null) throw new Error(`no standard error for ${key}`);
  return value;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

function sd(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

interface Recovery {
  /** Share of estimates within 3 reported SEs of the truth. */
  readonly coverage: number;
  readonly rmse: Record<Key, number>;
  /** SD of (estimate - truth) / SE over all items and replications: 1 when SEs are right. */
  readonly zSd: Record<Key, number>;
  /** Per item: mean reported SE / empirical SD of the estimates across replications. */
  readonly seRatios: Array<Record<Key, number>>;
  readonly converged: number;
  readonly fits: number;
}

function recovery(items: readonly TrueItem[], n: number, replications: number, model: '2PL' | '3PL', seed: number): Recovery {
  const rng = createRng(seed);
  const keys: Key[] = model === '3PL' ? ['a', 'b', 'c'] : ['a', 'b'];
  const z: Record<Key, number[]> = { a: [], b: [], c: [] };
  const squared: Record<Key, number> = { a: 0, b: 0, c: 0 };
  const seRatios: Array<Record<Key, number>> = [];
  let inside = 0;
  let total = 0;
  let converged = 0;
  for (const item of items) {
    const estimates: Record<Key, number[]> = { a: [], b: [], c: [] };
    const ses: Record<Key, number[]> = { a: [], b: [], c: [] };
    for (let r = 0; r < replications; r++) {
      const result = calibrateItem(simulate(rng, n, item), { model });
      if (result.converged && result.model === model) converged++;
      for (const key of keys) {
        const error = result[key] - item[key];
        const s = se(result, key);
        estimates[key].push(result[key]);
        ses[key].push(s);
        z[key].push(error / s);
        squared[key] += error * error;
        total++;
        if (Math.abs(error) < 3 * s) inside++;
      }
    }
    const ratio = { a: NaN, b: NaN, c: NaN };
    for (const key of keys) ratio[key] = mean(ses[key]) / sd(estimates[key]);
    seRatios.push(ratio);
  }
  const fits = items.length * replications;
  const rmse = { a: NaN, b: NaN, c: NaN };
  const zSd = { a: NaN, b: NaN, c: NaN };
  for (const key of keys) {
    rmse[key] = Math.sqrt(squared[key] / fits);
    zSd[key] = sd(z[key]);
  }
  return { coverage: inside / total, rmse, zSd, seRatios, converged, fits };
}

t.test('2PL: parameters are recovered and the reported SEs match the spread across replications', async (t) => {
  const items: TrueItem[] = [
    { a: 0.5, b: -2, c: 0 },
    { a: 0.8, b: -1, c: 0 },
    { a: 1, b: 0, c: 0 },
    { a: 1.7, b: -0.4, c: 0 },
    { a: 2, b: 1.5, c: 0 },
    { a: 2.5, b: -1.6, c: 0 },
  ];
  const r = recovery(items, 2000, 150, '2PL', 11);
  t.equal(r.converged, r.fits, 'every fit converged');
  t.ok(r.coverage > 0.98, `|est - true| < 3 SE for ${(100 * r.coverage).toFixed(1)}% (normal theory: 99.7%)`);
  t.ok(r.rmse.a < 0.12, `RMSE(a) ${r.rmse.a.toFixed(3)}`);
  t.ok(r.rmse.b < 0.12, `RMSE(b) ${r.rmse.b.toFixed(3)}`);
  for (const key of ['a', 'b'] as const) {
    t.ok(Math.abs(r.zSd[key] - 1) < 0.07, `SD of z-scores for ${key}: ${r.zSd[key].toFixed(3)}`);
  }
  r.seRatios.forEach((ratio, i) => {
    // 150 replications estimate an SD to about 6%: a ratio outside [0.85, 1.18] is a wrong SE.
    for (const key of ['a', 'b'] as const) {
      t.ok(ratio[key] > 0.85 && ratio[key] < 1.18, `item ${i} mean SE / empirical SD of ${key}: ${ratio[key].toFixed(2)}`);
    }
  });
});

t.test('3PL with the Beta(5, 17) prior on c: parameters are recovered, SEs are honest or conservative', async (t) => {
  const items: TrueItem[] = [
    { a: 1.2, b: 0, c: 0.15 },
    { a: 1.5, b: 0.8, c: 0.25 },
    { a: 2, b: -0.5, c: 0.1 },
    { a: 1.8, b: 1.5, c: 0.2 },
    { a: 1, b: 1, c: 0.12 },
  ];
  const r = recovery(items, 3000, 60, '3PL', 31);
  t.equal(r.converged, r.fits, 'every fit converged');
  t.ok(r.coverage > 0.97, `|est - true| < 3 SE for ${(100 * r.coverage).toFixed(1)}%`);
  t.ok(r.rmse.a < 0.2, `RMSE(a) ${r.rmse.a.toFixed(3)}`);
  t.ok(r.rmse.b < 0.12, `RMSE(b) ${r.rmse.b.toFixed(3)}`);
  t.ok(r.rmse.c < 0.04, `RMSE(c) ${r.rmse.c.toFixed(3)}`);
  for (const key of ['a', 'b', 'c'] as const) {
    // The prior shrinks the estimate, so its sampling spread is at most the posterior SD.
    t.ok(r.zSd[key] > 0.8 && r.zSd[key] < 1.1, `SD of z-scores for ${key}: ${r.zSd[key].toFixed(3)}`);
  }
});

/**
 * Logistic regression of correct on theta by iteratively reweighted least squares,
 * written independently of the library: logit P = b0 + b1 theta, with covariance
 * (X' W X)^-1. The 2PL with fixed thetas is this model with b1 = D a, b0 = -D a b.
 */
function logisticRegression(data: readonly CalibrationResponse[]): { b0: number; b1: number; cov: [number, number, number] } {
  let b0 = 0;
  let b1 = 0;
  let cov: [number, number, number] = [0, 0, 0];
  for (let iteration = 0; iteration < 100; iteration++) {
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    let g0 = 0;
    let g1 = 0;
    for (const { theta, correct } of data) {
      const p = 1 / (1 + Math.exp(-(b0 + b1 * theta)));
      const w = p * (1 - p);
      s00 += w;
      s01 += w * theta;
      s11 += w * theta * theta;
      g0 += (correct ? 1 : 0) - p;
      g1 += ((correct ? 1 : 0) - p) * theta;
    }
    const det = s00 * s11 - s01 * s01;
    cov = [s11 / det, -s01 / det, s00 / det];
    const d0 = cov[0] * g0 + cov[1] * g1;
    const d1 = cov[1] * g0 + cov[2] * g1;
    b0 += d0;
    b1 += d1;
    if (Math.abs(d0) + Math.abs(d1) < 1e-13) break;
  }
  return { b0, b1, cov };
}

t.test('2PL equals an independent logistic regression of correct on theta, SEs by the delta method', async (t) => {
  const cases = [
    { item: { a: 1.3, b: 0.4, c: 0 }, D: 1, n: 800, seed: 1 },
    { item: { a: 0.7, b: -1.2, c: 0 }, D: 1.702, n: 1500, seed: 2 },
    { item: { a: 2.1, b: 1.1, c: 0 }, D: 1.702, n: 300, seed: 3 },
  ];
  for (const { item, D, n, seed } of cases) {
    const data = simulate(createRng(seed), n, item, D);
    const fit = calibrateItem(data, { model: '2PL', D });
    const { b0, b1, cov } = logisticRegression(data);
    const a = b1 / D;
    const b = -b0 / b1;
    // a = b1 / D; b = -b0 / b1 with gradient (-1 / b1, b0 / b1^2) in (b0, b1).
    const seA = Math.sqrt(cov[2]) / D;
    const gb0 = -1 / b1;
    const gb1 = b0 / (b1 * b1);
    const seB = Math.sqrt(gb0 * gb0 * cov[0] + 2 * gb0 * gb1 * cov[1] + gb1 * gb1 * cov[2]);
    let ll = 0;
    for (const r of data) {
      const p = 1 / (1 + Math.exp(-(b0 + b1 * r.theta)));
      ll += Math.log(r.correct ? p : 1 - p);
    }
    const label = `a=${item.a} b=${item.b} D=${D} n=${n}`;
    t.equal(fit.model, '2PL', label);
    t.ok(fit.converged, `${label}: converged`);
    t.ok(Math.abs(fit.a - a) < 1e-6 * a, `${label}: a ${fit.a} vs glm ${a}`);
    t.ok(Math.abs(fit.b - b) < 1e-6, `${label}: b ${fit.b} vs glm ${b}`);
    t.ok(Math.abs(fit.seA! - seA) < 1e-5 * seA, `${label}: SE(a) ${fit.seA} vs ${seA}`);
    t.ok(Math.abs(fit.seB! - seB) < 1e-5 * seB, `${label}: SE(b) ${fit.seB} vs ${seB}`);
    t.ok(Math.abs(fit.logLikelihood - ll) < 1e-8 * Math.abs(ll), `${label}: log-likelihood ${fit.logLikelihood} vs ${ll}`);
  }
});

t.test('2PL on two theta values reproduces both observed proportions (closed form)', async (t) => {
  // Two groups make the logistic regression saturated: L(0) = 12/30, L(1) = 24/30 exactly,
  // so D a = logit(0.8) - logit(0.4), b = -logit(0.4) / (D a), and
  // Var(D a) = 1 / (n0 p0 q0) + 1 / (n1 p1 q1).
  const group = (theta: number, correct: number, n: number): CalibrationResponse[] =>
    Array.from({ length: n }, (_, i) => ({ theta, correct: i < correct }));
  const data = [...group(0, 12, 30), ...group(1, 24, 30)];
  const logit = (p: number): number => Math.log(p / (1 - p));
  for (const D of [1, 1.702]) {
    const fit = calibrateItem(data, { D });
    const slope = logit(0.8) - logit(0.4);
    t.ok(Math.abs(fit.a - slope / D) < 1e-9, `D=${D}: a = ${fit.a}`);
    t.ok(Math.abs(fit.b + logit(0.4) / slope) < 1e-9, `D=${D}: b = ${fit.b}`);
    const seSlope = Math.sqrt(1 / (30 * 0.4 * 0.6) + 1 / (30 * 0.8 * 0.2));
    t.ok(Math.abs(fit.seA! - seSlope / D) < 1e-9, `D=${D}: SE(a) = ${fit.seA}`);
  }
});

/** Log posterior of a 3PL item under the Beta(5, 17) prior on c, written directly from the formula. */
function logPosterior(data: readonly CalibrationResponse[], a: number, b: number, c: number): number {
  let sum = (C_PRIOR.alpha - 1) * Math.log(c) + (C_PRIOR.beta - 1) * Math.log(1 - c);
  for (const { theta, correct } of data) {
    const p = c + (1 - c) / (1 + Math.exp(-a * (theta - b)));
    sum += Math.log(correct ? p : 1 - p);
  }
  return sum;
}

t.test('3PL estimate is the mode of an independently written log posterior', async (t) => {
  const data = simulate(createRng(8), 1500, { a: 1.4, b: 0.6, c: 0.2 });
  t.same(C_PRIOR, { alpha: 5, beta: 17 }, 'the BILOG prior on c');
  const fit = calibrateItem(data, { model: '3PL' });
  t.equal(fit.model, '3PL');
  t.ok(fit.converged);
  const at = (da: number, db: number, dc: number): number => logPosterior(data, fit.a + da, fit.b + db, fit.c + dc);
  const best = at(0, 0, 0);
  const h = 1e-5;
  const gradient = [
    (at(h, 0, 0) - at(-h, 0, 0)) / (2 * h),
    (at(0, h, 0) - at(0, -h, 0)) / (2 * h),
    (at(0, 0, h) - at(0, 0, -h)) / (2 * h),
  ];
  t.ok(gradient.every((g) => Math.abs(g) < 1e-3), `numerical gradient at the estimate is ~0: ${gradient.map((g) => g.toExponential(1))}`);
  let better = 0;
  for (const step of [0.001, 0.01, 0.05]) {
    for (const da of [-step, 0, step]) {
      for (const db of [-step, 0, step]) {
        for (const dc of [-step / 2, 0, step / 2]) if (at(da, db, dc) > best) better++;
      }
    }
  }
  t.equal(better, 0, 'no neighbouring point has a higher posterior');
  let ll = 0;
  for (const { theta, correct } of data) {
    const p = probability(theta, { a: fit.a, b: fit.b, c: fit.c, d: 1 });
    ll += Math.log(correct ? p : 1 - p);
  }
  t.ok(Math.abs(fit.logLikelihood - ll) < 1e-8 * Math.abs(ll), 'logLikelihood is the data log-likelihood without the prior');
  // SEs: inverse of the expected information sum P_j P_k / (P Q) plus the prior's
  // curvature in c, (alpha - 1) / c^2 + (beta - 1) / (1 - c)^2, by Cramer's rule.
  const info = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const { theta } of data) {
    const L = 1 / (1 + Math.exp(-fit.a * (theta - fit.b)));
    const p = fit.c + (1 - fit.c) * L;
    const dp = [(1 - fit.c) * L * (1 - L) * (theta - fit.b), -(1 - fit.c) * L * (1 - L) * fit.a, 1 - L];
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) info[3 * j + k]! += (dp[j]! * dp[k]!) / (p * (1 - p));
  }
  info[8]! += (C_PRIOR.alpha - 1) / fit.c ** 2 + (C_PRIOR.beta - 1) / (1 - fit.c) ** 2;
  const [m00, m01, m02, , m11, m12, , , m22] = info as [number, number, number, number, number, number, number, number, number];
  const det = m00 * (m11 * m22 - m12 * m12) - m01 * (m01 * m22 - m12 * m02) + m02 * (m01 * m12 - m11 * m02);
  const variances = [(m11 * m22 - m12 * m12) / det, (m00 * m22 - m02 * m02) / det, (m00 * m11 - m01 * m01) / det];
  const reported = [fit.seA!, fit.seB!, fit.seC!];
  variances.forEach((v, j) => {
    t.ok(Math.abs(reported[j]! - Math.sqrt(v)) < 1e-6 * Math.sqrt(v), `SE ${'abc'[j]}: ${reported[j]} vs ${Math.sqrt(v)}`);
  });
});

t.test("'auto' fits a 3PL from minSampleFor3pl responses on, a 2PL below", async (t) => {
  const data = simulate(createRng(4), 600, { a: 1.2, b: 0.5, c: 0.2 });
  t.equal(calibrateItem(data.slice(0, 499)).model, '2PL', '499 responses, default threshold 500');
  t.equal(calibrateItem(data.slice(0, 500)).model, '3PL', '500 responses');
  t.equal(calibrateItem(data.slice(0, 100), { minSampleFor3pl: 100 }).model, '3PL', 'custom threshold');
  t.equal(calibrateItem(data.slice(0, 100), { model: '3PL' }).model, '3PL', 'explicit 3PL ignores the threshold');
  t.equal(calibrateItem(data, { model: '2PL' }).model, '2PL', 'explicit 2PL');
  const twoPl = calibrateItem(data, { model: '2PL' });
  t.equal(twoPl.c, 0);
  t.equal(twoPl.seC, null, 'c is not estimated in a 2PL');
});

t.test('the 2PL estimate reproduces the observed proportion correct (expectedProportionCorrect)', async (t) => {
  const data = simulate(createRng(6), 700, { a: 0.9, b: -0.3, c: 0 });
  const fit = calibrateItem(data, { model: '2PL' });
  const observed = data.filter((r) => r.correct).length / data.length;
  const thetas = data.map((r) => r.theta);
  const expected = expectedProportionCorrect(thetas, fit);
  t.ok(Math.abs(expected - observed) < 1e-9, `sum of P equals the number correct at the MLE: ${expected} vs ${observed}`);
  t.ok(Math.abs(expectedProportionCorrect([0], { a: 1, b: 0 }) - 0.5) < 1e-15);
  t.ok(Math.abs(expectedProportionCorrect([0, 100], { a: 1, b: 0, c: 0.2 }) - 0.8) < 1e-12, 'c is the floor: (0.6 + 1) / 2');
  t.throws(() => expectedProportionCorrect([], { b: 0 }), RangeError);
  t.throws(() => expectedProportionCorrect([NaN], { b: 0 }), RangeError);
});

function assertDefined(t: Test, result: CalibrationResult, label: string): void {
  const { aMin, aMax, bMin, bMax } = CALIBRATION_BOUNDS;
  const numbers = [result.a, result.b, result.c, result.logLikelihood, result.iterations];
  t.ok(numbers.every(Number.isFinite), `${label}: finite ${JSON.stringify(result)}`);
  t.ok(result.a >= aMin && result.a <= aMax && result.b >= bMin && result.b <= bMax, `${label}: a, b in bounds`);
  t.ok(result.c >= 0 && result.c < 0.5, `${label}: c in [0, 0.5)`);
  for (const s of [result.seA, result.seB, result.seC]) {
    t.ok(s === null || (Number.isFinite(s) && s > 0), `${label}: SE null or positive`);
  }
}

t.test('no responses: a neutral 1PL answer, not converged', async (t) => {
  t.same(calibrateItem([]), {
    model: '1PL', a: 1, b: 0, c: 0, seA: null, seB: null, seC: null, n: 0, converged: false, iterations: 0, logLikelihood: 0,
  });
});

t.test('all correct / all wrong: b on the bound, not converged', async (t) => {
  const thetas = Array.from({ length: 100 }, (_, i) => -2 + i / 25);
  for (const correct of [true, false]) {
    const result = calibrateItem(thetas.map((theta) => ({ theta, correct })), { model: '3PL' });
    const label = correct ? 'all correct' : 'all wrong';
    assertDefined(t, result, label);
    t.equal(result.model, '1PL', `${label}: only b is fitted`);
    t.equal(result.b, correct ? CALIBRATION_BOUNDS.bMin : CALIBRATION_BOUNDS.bMax, `${label}: b`);
    t.equal(result.converged, false, `${label}: not converged`);
    t.equal(result.seB, null, `${label}: no SE on a bound`);
    t.ok(result.logLikelihood < 0, `${label}: log-likelihood ${result.logLikelihood}`);
  }
});

t.test('fewer than MIN_SAMPLE_2PL responses: 1PL difficulty, not converged', async (t) => {
  const data = simulate(createRng(12), MIN_SAMPLE_2PL - 1, { a: 1, b: 0.3, c: 0 });
  const result = calibrateItem(data, { model: '2PL' });
  assertDefined(t, result, 'small n');
  t.equal(result.model, '1PL');
  t.equal(result.a, 1);
  t.equal(result.converged, false);
  t.equal(result.n, MIN_SAMPLE_2PL - 1);
  // The Rasch MLE of b sets the expected number correct to the observed one.
  const expected = expectedProportionCorrect(data.map((r) => r.theta), result) * data.length;
  t.ok(Math.abs(expected - data.filter((r) => r.correct).length) < 1e-6, 'sum of P = number correct');
  t.ok(result.seB !== null, 'b has an SE');
  t.equal(calibrateItem(simulate(createRng(12), MIN_SAMPLE_2PL, { a: 1, b: 0.3, c: 0 })).model, '2PL', 'MIN_SAMPLE_2PL responses fit a 2PL');
});

t.test('one theta value: a is not identified, 1PL through the observed proportion', async (t) => {
  const data = Array.from({ length: 50 }, (_, i) => ({ theta: 0.5, correct: i < 30 }));
  const result = calibrateItem(data, { D: 1.702 });
  assertDefined(t, result, 'one theta');
  t.equal(result.model, '1PL');
  t.equal(result.converged, false);
  t.ok(Math.abs(result.b - (0.5 - Math.log(0.6 / 0.4) / 1.702)) < 1e-9, `b = ${result.b}`);
});

t.test('perfect separation: a pinned at its maximum, b at the split, not converged', async (t) => {
  const data = Array.from({ length: 200 }, (_, i) => {
    const theta = -3 + (6 * i) / 199;
    return { theta, correct: theta > 0.4 };
  });
  for (const model of ['2PL', '3PL'] as const) {
    const result = calibrateItem(data, { model });
    assertDefined(t, result, `separated ${model}`);
    t.equal(result.a, CALIBRATION_BOUNDS.aMax, `${model}: a on its upper bound`);
    t.ok(result.b > 0.3 && result.b < 0.5, `${model}: b = ${result.b} between the last wrong and first right answer`);
    t.equal(result.converged, false, `${model}: not converged`);
    t.equal(result.seA, null, `${model}: no SE for a on a bound`);
  }
});

t.test('negative discrimination: a pinned at its minimum, not converged', async (t) => {
  const rng = createRng(5);
  const data = Array.from({ length: 400 }, () => {
    const theta = randomNormal(rng);
    return { theta, correct: rng.next() < 1 / (1 + Math.exp(1.5 * theta)) };
  });
  const result = calibrateItem(data, { model: '2PL' });
  assertDefined(t, result, 'negative a');
  t.equal(result.a, CALIBRATION_BOUNDS.aMin);
  t.equal(result.converged, false);
});

t.test('any data set gets a finite, bounded answer', async (t) => {
  const rng = createRng(99);
  let checked = 0;
  for (let k = 0; k < 300; k++) {
    const n = Math.floor(rng.next() * 80);
    const scale = [0.01, 1, 5, 40][k % 4]!;
    const bias = rng.next();
    const data = Array.from({ length: n }, () => ({ theta: scale * randomNormal(rng), correct: rng.next() < bias }));
    const model = (['2PL', '3PL', 'auto'] as const)[k % 3]!;
    const result = calibrateItem(data, { model, D: k % 2 === 0 ? 1 : 1.702, minSampleFor3pl: 40 });
    const { aMin, aMax, bMin, bMax } = CALIBRATION_BOUNDS;
    const ok =
      [result.a, result.b, result.c, result.logLikelihood].every(Number.isFinite) &&
      result.a >= aMin && result.a <= aMax && result.b >= bMin && result.b <= bMax && result.c >= 0 && result.c < 0.5 &&
      [result.seA, result.seB, result.seC].every((s) => s === null || (Number.isFinite(s) && s > 0)) &&
      result.n === n;
    if (!ok) t.fail(`data set ${k}: ${JSON.stringify(result)}`);
    checked++;
  }
  t.equal(checked, 300);
});

t.test('invalid input is rejected', async (t) => {
  t.throws(() => calibrateItem([{ theta: NaN, correct: true }]), RangeError, 'NaN theta');
  t.throws(() => calibrateItem([{ theta: Infinity, correct: true }]), RangeError, 'infinite theta');
  t.throws(() => calibrateItem([], { D: 0 }), RangeError, 'D = 0');
  t.throws(() => calibrateItem([], { minSampleFor3pl: -1 }), RangeError, 'negative threshold');
  t.throws(() => calibrateItem([], { model: '4PL' as '2PL' }), RangeError, 'unknown model');
});
