// What any allocation loses under an exposure cap, even one that knows every true θ: the
// dual bound of exposure-bound.ts on issue 18's bank and examinees, checked against
// allocations it must not exceed, and against brute force on a bank small enough to enumerate.

import t from 'tap';
import { createItemBank, createRng, exposureCapBound, generateBank, information, randomNormal } from '../src/index.js';

t.test("issue 18's bank: no allocation within a 0.25 cap keeps posterior SD within 5% of the uncapped one", async (t) => {
  const bank = createItemBank(generateBank(300, createRng(3), { model: '2PL' }));
  const thetaRng = createRng(4); // the examinees of exposure-derivation.test.ts
  const thetas = Array.from({ length: 1000 }, () => randomNormal(thetaRng));
  const capped = exposureCapBound(bank, thetas, { length: 30, maxRate: 0.25 });

  // The uncapped optimum, computed here independently: each examinee's 30 most informative items.
  let uncapped = 0;
  for (const theta of thetas) {
    const infos = bank.items.map((item) => information(theta, item, bank.D)).sort((x, y) => y - x);
    uncapped += 1 / (1 + infos.slice(0, 30).reduce((s, v) => s + v, 0));
  }
  t.ok(Math.abs(capped.uncapped - uncapped) < 1e-9 * uncapped, 'the uncapped optimum is each examinee\'s top 30');
  t.equal(capped.capacity, 250, '0.25 of 1000 examinees');
  t.ok(capped.feasibleMaxRate <= 0.25, `the constructed allocation respects the cap (max ${capped.feasibleMaxRate})`);
  t.ok(capped.lowerBound <= capped.feasible, `bound ${capped.lowerBound.toFixed(3)} <= a capped allocation's ${capped.feasible.toFixed(3)}`);
  t.ok(capped.lowerBound > uncapped, 'the cap costs something');

  const least = Math.sqrt(capped.lowerBound / uncapped);
  const achieved = Math.sqrt(capped.feasible / uncapped);
  // The uncapped CAT's RMSE at 30 items on these examinees (exposure-derivation.test.ts, no control).
  const catRmse = 0.2459;
  t.comment(`sum of 1/(1+I): uncapped ${uncapped.toFixed(3)}, capped >= ${capped.lowerBound.toFixed(3)}, a capped allocation ${capped.feasible.toFixed(3)}`);
  t.comment(`least posterior-SD inflation under the 0.25 cap: x${least.toFixed(4)} (an allocation reaching x${achieved.toFixed(4)} exists)`);
  t.comment(`sqrt(bound / N) = ${Math.sqrt(capped.lowerBound / 1000).toFixed(4)}, x${(Math.sqrt(capped.lowerBound / 1000) / catRmse).toFixed(3)} the uncapped CAT's RMSE ${catRmse}`);
  // The target is 5%: even knowing every θ, the cap alone costs more than that here.
  t.ok(least > 1.05, `least inflation ${least.toFixed(4)} > 1.05: issue 18's target is out of reach on this bank`);
  t.ok(achieved - least < 0.01, `the bound is tight: within 1% of an allocation (${least.toFixed(4)} vs ${achieved.toFixed(4)})`);

  const loose = exposureCapBound(bank, thetas, { length: 30, maxRate: 1 });
  t.ok(Math.abs(loose.lowerBound - uncapped) < 1e-6 * uncapped, 'with no effective cap the bound is the uncapped optimum');
});

t.test('on a bank small enough to enumerate, the bound is below the best capped 0/1 allocation', async (t) => {
  // 3 examinees, 6 items, 2 per test, each item to at most 1 examinee (rate 1/3): every
  // assignment is enumerated and the bound must not pass the best of them.
  const bank = createItemBank(generateBank(6, createRng(9), { model: '2PL' }));
  const thetas = [-1, 0.2, 1.1];
  const bound = exposureCapBound(bank, thetas, { length: 2, maxRate: 1 / 3 });
  const info = thetas.map((theta) => bank.items.map((item) => information(theta, item, bank.D)));
  const pairs: [number, number][] = [];
  for (let a = 0; a < 6; a++) for (let b = a + 1; b < 6; b++) pairs.push([a, b]);
  let best = Infinity;
  for (const p0 of pairs) {
    for (const p1 of pairs) {
      for (const p2 of pairs) {
        const used = [...p0, ...p1, ...p2];
        if (new Set(used).size !== 6) continue;
        const value = [p0, p1, p2].reduce((s, [x, y], i) => s + 1 / (1 + info[i]![x]! + info[i]![y]!), 0);
        best = Math.min(best, value);
      }
    }
  }
  t.ok(Number.isFinite(best), 'a capped allocation exists');
  t.ok(bound.lowerBound <= best + 1e-12, `bound ${bound.lowerBound} <= best allocation ${best}`);
  t.ok(bound.feasible >= best - 1e-12, `the constructed allocation ${bound.feasible} is no better than the best`);
  t.ok(bound.lowerBound > bound.uncapped, 'the cap binds here');
});

t.test('a cap too tight for the tests is refused', async (t) => {
  const bank = createItemBank(generateBank(10, createRng(1), { model: '2PL' }));
  t.throws(() => exposureCapBound(bank, [0, 1], { length: 6, maxRate: 0.5 }), /too few administrations/);
});
