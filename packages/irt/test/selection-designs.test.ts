// The selection designs tried against issue 18's cap (see the README's "What the cap
// costs"): a-stratification with b-blocking, item eligibility, posterior-weighted information.

import t from 'tap';
import {
  aStratification,
  createCatEngine,
  createItemBank,
  createRng,
  deriveSympsonHetter,
  generateBank,
  information,
  normalQuadrature,
  simulateCats,
  simulateExaminee,
  stratumAt,
} from '../src/index.js';

const bank = createItemBank(generateBank(60, createRng(21), { model: '2PL' }));

t.test('a-stratification with b-blocking: strata rise in a and each spans the range of b', async (t) => {
  const design = aStratification(bank, { strata: 3 }, 10);
  t.same(design.lengths, [3, 3, 4], '10 items over 3 strata, the extra one in the last');
  const members = [0, 1, 2].map((s) => Array.from(bank.items.keys()).filter((i) => design.stratumOf[i] === s));
  t.same(members.map((m) => m.length), [20, 20, 20], 'equal strata');
  const meanA = members.map((m) => m.reduce((sum, i) => sum + (bank.a[i] as number), 0) / m.length);
  t.ok(meanA[0]! < meanA[1]! && meanA[1]! < meanA[2]!, `mean a rises: ${meanA.map((x) => x.toFixed(2)).join(' < ')}`);
  // b-blocking: among the 3 easiest items one goes to each stratum, and likewise the 3 hardest.
  const byB = Array.from(bank.items.keys()).sort((i, j) => (bank.b[i] as number) - (bank.b[j] as number));
  t.same(new Set(byB.slice(0, 3).map((i) => design.stratumOf[i])), new Set([0, 1, 2]), 'the easiest block spans all strata');
  t.same(new Set(byB.slice(-3).map((i) => design.stratumOf[i])), new Set([0, 1, 2]), 'the hardest block spans all strata');
  t.same([0, 1, 2, 3, 5, 6, 9, 12].map((g) => stratumAt(design, g)), [0, 0, 0, 1, 1, 2, 2, 2], 'the stratum of each step');
  t.throws(() => aStratification(bank, { strata: 1 }, 10), /strata must be/);
  t.throws(() => aStratification(bank, { strata: 3, lengths: [5, 5] }, 10), /lengths/);
  t.throws(() => aStratification(bank, { strata: 3 }, undefined), /maxItems/);
});

t.test('an a-stratified CAT gives each stratum its share of the test, low a first', async (t) => {
  const config = { bank, aStratified: { strata: 3, lengths: [2, 3, 5] }, stopping: { maxItems: 10 } };
  const design = aStratification(bank, config.aStratified, 10);
  const engine = createCatEngine(config);
  const rng = createRng(5);
  for (const theta of [-1.5, 0, 1.2]) {
    const r = simulateExaminee(engine, theta, rng);
    t.same(r.items.map((i) => design.stratumOf[i]), [0, 0, 1, 1, 1, 2, 2, 2, 2, 2], `θ ${theta}: strata in order`);
  }
});

t.test('item eligibility: an item drawn ineligible is never given; all eligible is no control at all', async (t) => {
  const thetas = [-1, -0.3, 0.4, 1.3];
  const config = { bank, stopping: { maxItems: 8 } };
  const plain = simulateCats(config, thetas, { seed: 3 });
  const open = simulateCats({ ...config, itemEligibility: new Float64Array(bank.size).fill(1) }, thetas, { seed: 3 });
  t.same(open.exposure.rates, plain.exposure.rates, 'eligibility 1 everywhere changes nothing');
  const hot = plain.exposure.rates.map((r, i) => [r, i] as const).filter(([r]) => r > 0).map(([, i]) => i);
  const closed = new Float64Array(bank.size).fill(1);
  for (const i of hot) closed[i] = 0;
  const without = simulateCats({ ...config, itemEligibility: closed }, thetas, { seed: 3 });
  t.ok(hot.length > 0, 'some items were given');
  t.ok(hot.every((i) => without.exposure.rates[i] === 0), `the ${hot.length} items made ineligible were never given`);
  t.equal(without.overall.meanLength, 8, 'tests still complete from the other items');
  t.throws(() => createCatEngine({ ...config, itemEligibility: new Float64Array(3) }), /one K per item/);
});

t.test('derived eligibility: deterministic for a seed, capped below no control, refused with item sets', async (t) => {
  const config = { bank, stopping: { maxItems: 8 } };
  const options = { target: 0.4, seed: 2, examinees: 200, maxIterations: 6, control: 'eligibility' as const };
  const a = deriveSympsonHetter(config, options);
  t.same(deriveSympsonHetter(config, options), a, 'same seed, same result');
  t.ok(a.trace[0]!.maxExposure > 0.9, 'the first iteration runs without control');
  t.ok(Math.min(...a.trace.map((s) => s.maxExposure)) < 0.5, 'later ones cap the hot items');
  t.ok(Array.from(a.k).filter((e) => e === 1).length >= 8, 'at least a test length of items always eligible');
  t.throws(() => deriveSympsonHetter({ ...config, itemSets: [['item-01', 'item-02']] }, options), /without item sets/);
});

t.test('posterior-weighted selection ranks by information averaged over N(θ̂, SE²)', async (t) => {
  const engine = createCatEngine({ bank, posteriorWeighted: 3, stopping: { maxItems: 5 } });
  const session = engine.start();
  const step = engine.next(session, createRng(1));
  if (step.done) throw new Error('expected an item');
  const q = normalQuadrature(9);
  const weighted = (i: number): number => {
    let s = 0;
    for (let k = 0; k < q.nodes.length; k++) s += (q.weights[k] as number) * information(session.theta + session.se * (q.nodes[k] as number), bank.items[i]!, bank.D);
    return s;
  };
  let best = 0;
  for (let i = 1; i < bank.size; i++) if (weighted(i) > weighted(best)) best = i;
  t.equal(step.item, best, 'the first item maximizes posterior-weighted information');
  const atTheta = createCatEngine({ bank, stopping: { maxItems: 5 } }).next(session, createRng(1));
  if (atTheta.done) throw new Error('expected an item');
  t.comment(`posterior-weighted pick ${step.item}, Fisher-at-θ̂ pick ${atTheta.item}`);
  // A sharp item off θ̂ against a broad one at it: at θ̂ = 0 the broad one is more informative
  // (0.30 vs 0.28), over N(0, 1) the sharp one (about 0.45 vs 0.23).
  const pair = createItemBank([{ a: 2.5, b: 1.2 }, { a: 1.1, b: 0 }]);
  const pick = (posteriorWeighted: number): number => {
    const e = createCatEngine({ bank: pair, posteriorWeighted, stopping: { maxItems: 1 } });
    const s = e.next(e.start(), createRng(1));
    return s.done ? -1 : s.item;
  };
  t.equal(pick(0), 1, 'at θ̂ the broad item');
  t.equal(pick(1), 0, 'over the posterior the sharp one');
  // After the weighted items, selection is by information at θ̂ again.
  const once = createCatEngine({ bank, posteriorWeighted: 1, stopping: { maxItems: 5 } });
  const first = once.next(once.start(), createRng(1));
  if (first.done) throw new Error('expected an item');
  const after = once.answer(first.session, first.item, 1);
  const second = once.next(after, createRng(1));
  const plain = createCatEngine({ bank, stopping: { maxItems: 5 } }).next(after, createRng(1));
  if (second.done || plain.done) throw new Error('expected an item');
  t.equal(second.item, plain.item, 'the second item is the most informative at θ̂');
});
