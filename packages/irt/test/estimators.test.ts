// Properties and worked examples for the four ability estimators that do not depend
// on catR: closed-form answers, bounds, and brute-force optima.

import t from 'tap';
import {
  createRng,
  estimateAbility,
  estimateEap,
  estimateMap,
  estimateMle,
  estimateWle,
  logLikelihood,
  probability,
  randomNormal,
  testInformation,
} from '../src/index.js';
import type { EstimatorName, ItemParams } from '../src/index.js';

const METHODS: EstimatorName[] = ['EAP', 'MAP', 'MLE', 'WLE'];

function randomItems(n: number, seed: number): ItemParams[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => ({
    a: 0.5 + 2 * rng.next(),
    b: randomNormal(rng, 0, 1.2),
    c: 0.3 * rng.next(),
    d: 0.9 + 0.1 * rng.next(),
  }));
}

t.test('WLE of one 2PL response has a closed form (Warm 1989)', async (t) => {
  // For the 2PL, J/(2I) = D a (1 - 2P)/2 and the score is D a (x - P); their sum
  // vanishes at P = 3/4 for x = 1 and P = 1/4 for x = 0: theta = b +- ln 3 / (D a).
  for (const D of [1, 1.702]) {
    const item = { a: 1.2, b: 0.3, c: 0, d: 1 };
    const right = estimateWle([item], [1], { D }).theta;
    const wrong = estimateWle([item], [0], { D }).theta;
    t.ok(Math.abs(right - (0.3 + Math.log(3) / (D * 1.2))) < 1e-8, `correct, D=${D}: ${right}`);
    t.ok(Math.abs(wrong - (0.3 - Math.log(3) / (D * 1.2))) < 1e-8, `incorrect, D=${D}: ${wrong}`);
  }
});

t.test('MLE of a Rasch test depends only on the raw score: sum P = r', async (t) => {
  const items = [-1, -0.5, 0, 0.4, 1.1].map((b) => ({ a: 1, b, c: 0, d: 1 }));
  const a = estimateMle(items, [1, 1, 0, 1, 0]).theta;
  const b = estimateMle(items, [0, 1, 1, 0, 1]).theta;
  t.ok(Math.abs(a - b) < 1e-9, 'same raw score, same estimate');
  const expected = items.reduce((s, it) => s + probability(a, it), 0);
  t.ok(Math.abs(expected - 3) < 1e-9, `expected score at the MLE is 3 (${expected})`);
  t.ok(Math.abs(estimateMle(items, [1, 1, 0, 1, 0]).se - 1 / Math.sqrt(testInformation(a, items))) < 1e-12, 'SE = 1/sqrt(I)');
});

t.test('constant patterns get defined, bounded answers', async (t) => {
  const items = randomItems(12, 3);
  const ones = items.map(() => 1);
  const zeros = items.map(() => 0);
  t.equal(estimateMle(items, ones).theta, 4, 'MLE all correct: upper end of the default range');
  t.equal(estimateMle(items, zeros).theta, -4, 'MLE all wrong: lower end');
  t.equal(estimateMle(items, ones, { range: [-3, 2.5] }).theta, 2.5, 'custom range');
  for (const method of METHODS) {
    for (const pattern of [ones, zeros]) {
      const e = estimateAbility(method, items, pattern);
      t.ok(Number.isFinite(e.theta) && Number.isFinite(e.se) && e.se > 0, `${method}: ${e.theta} / ${e.se}`);
      t.ok(e.theta >= -4 && e.theta <= 4, `${method} within range`);
    }
  }
  t.ok(estimateMap(items, ones).theta < 4 && estimateEap(items, ones).theta < 4, 'the prior keeps MAP/EAP inside');
});

t.test('no responses yet: the prior speaks', async (t) => {
  const map = estimateMap([], [], { prior: { mean: 0.5, sd: 2 } });
  t.same(map, { theta: 0.5, se: 2 });
  const eap = estimateEap([], [], { prior: { mean: 0, sd: 1 }, grid: { lower: -6, upper: 6, points: 241 } });
  t.ok(Math.abs(eap.theta) < 1e-12 && Math.abs(eap.se - 1) < 1e-4, `EAP = prior moments (${eap.se})`);
  t.equal(estimateMle([], []).se, Infinity, 'MLE has no precision without data');
  t.equal(estimateWle([], []).se, Infinity);
});

t.test('EAP equals an independent high-resolution posterior integration', async (t) => {
  const items = randomItems(15, 11);
  const rng = createRng(5);
  const x = items.map((it) => (rng.next() < probability(0.8, it) ? 1 : 0));
  const prior = { mean: 0.3, sd: 1.3 };
  // Composite Simpson with 20 001 points on [-8, 8], written out here independently.
  const n = 20000;
  const h = 16 / n;
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  for (let k = 0; k <= n; k++) {
    const th = -8 + k * h;
    let like = 1;
    items.forEach((it, i) => {
      const p = probability(th, it);
      like *= x[i] === 1 ? p : 1 - p;
    });
    const w = (k === 0 || k === n ? 1 : k % 2 === 1 ? 4 : 2) * Math.exp(-0.5 * ((th - prior.mean) / prior.sd) ** 2) * like;
    m0 += w;
    m1 += w * th;
    m2 += w * th * th;
  }
  const mean = m1 / m0;
  const sd = Math.sqrt(m2 / m0 - mean * mean);
  const eap = estimateEap(items, x, { prior, grid: { lower: -8, upper: 8, points: 801 } });
  t.ok(Math.abs(eap.theta - mean) < 1e-4, `mean ${eap.theta} vs ${mean}`);
  t.ok(Math.abs(eap.se - sd) < 1e-4, `sd ${eap.se} vs ${sd}`);
});

t.test('MLE and MAP are global maxima of their objective (brute force)', async (t) => {
  let interior = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const items = randomItems(4 + (seed % 9), seed);
    const rng = createRng(seed + 100);
    const truth = randomNormal(rng);
    const x = items.map((it) => (rng.next() < probability(truth, it) ? 1 : 0));
    const mle = estimateMle(items, x).theta;
    const map = estimateMap(items, x).theta;
    const logPost = (th: number): number => logLikelihood(th, items, x, 1) - 0.5 * th * th;
    let bestL = -Infinity;
    let bestP = -Infinity;
    for (let th = -4; th <= 4 + 1e-9; th += 0.001) {
      bestL = Math.max(bestL, logLikelihood(th, items, x, 1));
      bestP = Math.max(bestP, logPost(th));
    }
    if (mle > -4 && mle < 4) {
      interior++;
      t.ok(logLikelihood(mle, items, x, 1) >= bestL - 1e-9, `seed ${seed}: MLE ${mle} maximizes log L`);
    }
    t.ok(logPost(map) >= bestP - 1e-9, `seed ${seed}: MAP ${map} maximizes the posterior`);
  }
  t.ok(interior > 20, `most MLEs are interior (${interior})`);
});

t.test('estimates are always finite and inside the range', async (t) => {
  let checked = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const items = randomItems(1 + (seed % 7), seed * 7);
    const rng = createRng(seed);
    const x = items.map(() => (rng.next() < 0.5 ? 1 : 0));
    for (const method of METHODS) {
      for (const D of [1, 1.702]) {
        const e = estimateAbility(method, items, x, { D });
        if (!(Number.isFinite(e.theta) && e.theta >= -4 && e.theta <= 4 && e.se > 0 && !Number.isNaN(e.se))) {
          t.fail(`${method} seed ${seed}: ${e.theta} ${e.se}`);
        }
        checked++;
      }
    }
  }
  t.equal(checked, 480);
});

t.test('bad input is rejected', async (t) => {
  const items = randomItems(2, 1);
  t.throws(() => estimateMle(items, [1]), RangeError);
  t.throws(() => estimateEap(items, [1, 2]), RangeError);
  t.throws(() => estimateMap(items, [1, 0], { prior: { mean: 0, sd: 0 } }), RangeError);
  t.throws(() => estimateWle(items, [1, 0], { range: [2, 1] }), RangeError);
  t.throws(() => estimateEap(items, [1, 0], { grid: { lower: -4, upper: 4, points: 1 } }), RangeError);
});
