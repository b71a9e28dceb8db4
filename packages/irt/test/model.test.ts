// Hand-checkable facts about the 4PL response and information functions, so the
// model is verified by algebra as well as by the catR vectors.

import t from 'tap';
import { information, informationPeak3pl, probability, testInformation, toItemParams } from '../src/index.js';

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol;

t.test('probability at theta = b is the midpoint between the asymptotes', async (t) => {
  // L(0) = 1/2, so P(b) = c + (d - c)/2 = (c + d)/2 for any a and D.
  for (const [a, c, d] of [[1, 0, 1], [2.3, 0.2, 1], [0.7, 0.15, 0.9]] as const) {
    for (const D of [1, 1.702]) {
      t.ok(close(probability(0.4, { a, b: 0.4, c, d }, D), (c + d) / 2), `a=${a} c=${c} d=${d} D=${D}`);
    }
  }
});

t.test('probability is bounded by c and d, including far from b', async (t) => {
  const item = { a: 3, b: 0, c: 0.3, d: 0.95 };
  for (const theta of [-60, -4, 0, 4, 60]) {
    const p = probability(theta, item);
    t.ok(p >= 0.3 && p <= 0.95, `theta ${theta}: ${p}`);
  }
  t.ok(close(probability(-60, item), 0.3, 1e-15) && close(probability(60, item), 0.95, 1e-15), 'asymptotes');
});

t.test('2PL information is D^2 a^2 P Q and peaks at b with value D^2 a^2 / 4', async (t) => {
  // Lord (1980, eq. 5-9): for the 2PL, I = D^2 a^2 P Q.
  const item = { a: 1.3, b: -0.6, c: 0, d: 1 };
  for (const D of [1, 1.702]) {
    for (const theta of [-3, -0.6, 0, 2]) {
      const p = probability(theta, item, D);
      t.ok(close(information(theta, item, D), D * D * 1.69 * p * (1 - p), 1e-12), `theta ${theta} D ${D}`);
    }
    t.ok(close(information(-0.6, item, D), (D * D * 1.69) / 4), 'peak value');
  }
});

t.test('3PL information: closed form of Lord (1980, eq. 10-4)', async (t) => {
  // I = D^2 a^2 (Q / P) ((P - c) / (1 - c))^2
  const item = { a: 1.8, b: 0.5, c: 0.22, d: 1 };
  for (const theta of [-2, 0, 0.5, 1.7]) {
    const p = probability(theta, item);
    const expected = 1.8 * 1.8 * ((1 - p) / p) * ((p - 0.22) / 0.78) ** 2;
    t.ok(close(information(theta, item), expected, 1e-12), `theta ${theta}`);
  }
});

t.test('3PL information peak: closed form agrees with a numeric argmax', async (t) => {
  // theta* = b + ln((1 + sqrt(1 + 8c)) / 2) / (D a) (Birnbaum 1968; Lord 1980, eq. 10-6).
  const items = [
    { a: 1, b: 0, c: 0.2, d: 1 },
    { a: 3, b: 3.5, c: 0.3, d: 1 },
    { a: 0.5, b: -1.5, c: 0.25, d: 1 },
    { a: 2.2, b: -3.5, c: 0.05, d: 1 },
    { a: 1.2, b: 0.7, c: 0, d: 1 },
  ];
  for (const item of items) {
    for (const D of [1, 1.702]) {
      // Brute force on a 1e-4 grid, then golden-section refinement.
      let best = -10;
      for (let th = -10; th <= 10; th += 1e-4) if (information(th, item, D) > information(best, item, D)) best = th;
      let lo = best - 2e-4;
      let hi = best + 2e-4;
      const g = (Math.sqrt(5) - 1) / 2;
      for (let i = 0; i < 80; i++) {
        const x1 = hi - g * (hi - lo);
        const x2 = lo + g * (hi - lo);
        if (information(x1, item, D) > information(x2, item, D)) hi = x2;
        else lo = x1;
      }
      const numeric = (lo + hi) / 2;
      t.ok(Math.abs(informationPeak3pl(item, D) - numeric) < 1e-6, `a=${item.a} b=${item.b} c=${item.c} D=${D}: ${numeric}`);
    }
  }
  t.equal(informationPeak3pl({ a: 1.2, b: 0.7, c: 0, d: 1 }), 0.7, 'c = 0 gives b');
});

t.test('information is finite and non-negative everywhere', async (t) => {
  const item = { a: 3, b: -3.5, c: 0, d: 1 };
  for (const theta of [-1e6, -40, 40, 1e6]) {
    const i = information(theta, item, 1.702);
    t.ok(Number.isFinite(i) && i >= 0, `theta ${theta}: ${i}`);
  }
  t.equal(testInformation(0, []), 0, 'no items, no information');
});

t.test('toItemParams fills 1PL/2PL defaults and rejects impossible items', async (t) => {
  t.same(toItemParams({ b: 0.3 }), { a: 1, b: 0.3, c: 0, d: 1 });
  t.same(toItemParams({ a: 2, b: 0.3 }), { a: 2, b: 0.3, c: 0, d: 1 });
  t.throws(() => toItemParams({ a: 0, b: 0 }), RangeError);
  t.throws(() => toItemParams({ a: 1, b: Number.NaN }), RangeError);
  t.throws(() => toItemParams({ a: 1, b: 0, c: 0.5, d: 0.4 }), RangeError);
  t.throws(() => toItemParams({ a: 1, b: 0, d: 1.1 }), RangeError);
});
