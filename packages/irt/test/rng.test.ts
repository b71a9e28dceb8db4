// The seeded generator: reproducible, in range, and statistically plain.

import t from 'tap';
import { createRng, randomInt, randomNormal } from '../src/index.js';

t.test('same seed, same stream; different seed, different stream', async (t) => {
  const a = createRng(123);
  const b = createRng(123);
  const c = createRng(124);
  const xa = Array.from({ length: 50 }, () => a.next());
  const xb = Array.from({ length: 50 }, () => b.next());
  const xc = Array.from({ length: 50 }, () => c.next());
  t.same(xa, xb);
  t.notSame(xa, xc);
});

t.test('uniform on [0, 1) with the right moments', async (t) => {
  const rng = createRng(99);
  const n = 100_000;
  let sum = 0;
  let sq = 0;
  let min = 1;
  let max = 0;
  const bins = new Array<number>(10).fill(0);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    sum += u;
    sq += u * u;
    min = Math.min(min, u);
    max = Math.max(max, u);
    bins[Math.floor(u * 10)]! += 1;
  }
  t.ok(min >= 0 && max < 1);
  t.ok(Math.abs(sum / n - 0.5) < 0.005, 'mean 1/2');
  t.ok(Math.abs(sq / n - 1 / 3) < 0.005, 'second moment 1/3');
  // Chi-square with 9 df: 99.9% quantile is 27.9.
  const chi = bins.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0);
  t.ok(chi < 27.9, `chi-square ${chi.toFixed(1)}`);
});

t.test('normal and integer draws', async (t) => {
  const rng = createRng(5);
  const n = 50_000;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const z = randomNormal(rng, 2, 3);
    sum += z;
    sq += z * z;
  }
  const mean = sum / n;
  t.ok(Math.abs(mean - 2) < 0.05, `mean ${mean}`);
  t.ok(Math.abs(Math.sqrt(sq / n - mean * mean) - 3) < 0.05, 'sd');
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) seen.add(randomInt(rng, 7));
  t.same([...seen].sort(), [0, 1, 2, 3, 4, 5, 6]);
  const before = createRng(1);
  const after = createRng(1);
  randomInt(before, 1);
  t.equal(before.next(), after.next(), 'a single choice spends no draw');
});
