// The polytomous models checked by algebra and calculus, independently of catR: the
// identities that tie the models together, derivatives against finite differences
// (including D != 1, where catR's own derivatives are off), stability far from the
// items, validation, and the mixed-bank plumbing.

import t from 'tap';
import {
  categoryCount,
  categoryProbabilities,
  createCatEngine,
  createItemBank,
  createRng,
  estimateAbility,
  information,
  logLikelihood,
  probability,
  responseFromUniform,
  selectItem,
  toItem,
} from '../src/index.js';
import type { AnyItemInput, EstimatorName, Item, PolytomousItem } from '../src/index.js';
import { bankInformation } from '../src/selection.js';
import { answeredItemTerms, createAnsweredItemTerms } from '../src/polytomous.js';

const close = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

const ITEMS: PolytomousItem[] = [
  { model: 'GRM', a: 1.3, b: [-1.2, 0.1, 1.4] },
  { model: 'GRM', a: 2.8, b: [2.9, 3.0] },
  { model: 'PCM', delta: [-0.5, 0.7, -1.1] },
  { model: 'GPCM', a: 0.6, delta: [1.5, -2, 0.3, 2.2] },
  { model: 'RSM', lambda: 0.4, delta: [-1, 0, 1] },
  { model: 'NRM', a: [0.4, 1.1, 2.3], c: [0.5, 0.2, -1.4] },
  { model: 'NRM', a: [-0.6, 0.9], c: [1, -0.2] },
];
const THETAS = [-3.5, -1.2, 0, 0.7, 2.4];

t.test('category probabilities are positive and sum to 1, even far from the item', async (t) => {
  for (const item of ITEMS) {
    for (const theta of [-60, ...THETAS, 60]) {
      for (const D of [1, 1.702]) {
        const p = categoryProbabilities(theta, item, D);
        t.equal(p.length, categoryCount(item));
        t.ok(close(p.reduce((s, x) => s + x, 0), 1, 1e-12), `${item.model} theta ${theta}: sum 1`);
        t.ok(p.every((x) => x >= 0 && x <= 1), 'each in [0, 1]');
        t.ok(Number.isFinite(information(theta, item, D)) && information(theta, item, D) >= 0, 'finite information');
      }
    }
  }
});

t.test('the models nest as the literature says', async (t) => {
  for (const theta of THETAS) {
    for (const D of [1, 1.702]) {
      const twoPl = { a: 1.4, b: 0.3, c: 0, d: 1 };
      const pairs: [Item, Item][] = [
        [{ model: 'GRM', a: 1.4, b: [0.3] }, twoPl],
        [{ model: 'GPCM', a: 1.4, delta: [0.3] }, twoPl],
        [{ model: 'PCM', delta: [0.3] }, { a: 1, b: 0.3, c: 0, d: 1 }],
        [{ model: 'PCM', delta: [-0.5, 0.7] }, { model: 'GPCM', a: 1, delta: [-0.5, 0.7] }],
        [{ model: 'RSM', lambda: 0.4, delta: [-1, 1] }, { model: 'PCM', delta: [-0.6, 1.4] }],
      ];
      for (const [poly, same] of pairs) {
        const p = categoryProbabilities(theta, poly, D);
        const q = categoryProbabilities(theta, same, D);
        t.ok(p.every((x, k) => close(x, q[k]!, 1e-12)), `${poly.model} = ${'model' in same ? same.model : '2PL'}: probabilities`);
        t.ok(close(information(theta, poly, D), information(theta, same, D), 1e-10), 'information');
      }
      // The NRM is on the logit scale: catR applies no D to it.
      const nrm = ITEMS[5]!;
      t.same(categoryProbabilities(theta, nrm, D), categoryProbabilities(theta, nrm, 1), 'NRM ignores D');
      // An NRM with slopes 1, 2, ... is a PCM: a_k = k, c_k = -sum of the first k deltas.
      const asNrm: Item = { model: 'NRM', a: [1, 2], c: [0.5, -0.2] };
      const pcm: Item = { model: 'PCM', delta: [-0.5, 0.7] };
      t.ok(categoryProbabilities(theta, asNrm).every((x, k) => close(x, categoryProbabilities(theta, pcm)[k]!, 1e-12)), 'NRM with a = k is a PCM');
    }
  }
});

t.test('log-derivatives, information and Warm terms agree with finite differences', async (t) => {
  const h = 1e-4;
  const terms = createAnsweredItemTerms();
  const at = (theta: number, item: PolytomousItem, D: number, x: number) => ({ ...answeredItemTerms(theta, item, D, x, terms) });
  // J = sum P' P'' / P, from probabilities alone.
  const numericJ = (theta: number, item: PolytomousItem, D: number): number => {
    const lo = categoryProbabilities(theta - h, item, D);
    const mid = categoryProbabilities(theta, item, D);
    const hi = categoryProbabilities(theta + h, item, D);
    let j = 0;
    for (let k = 0; k < mid.length; k++) {
      const d1 = (hi[k]! - lo[k]!) / (2 * h);
      const d2 = (hi[k]! - 2 * mid[k]! + lo[k]!) / (h * h);
      j += (d1 * d2) / mid[k]!;
    }
    return j;
  };
  for (const item of ITEMS) {
    for (const D of [1, 1.702]) {
      for (const theta of THETAS) {
        for (let x = 0; x < categoryCount(item); x++) {
          const mid = at(theta, item, D, x);
          const lo = at(theta - h, item, D, x);
          const hi = at(theta + h, item, D, x);
          const label = `${item.model} D ${D} theta ${theta} x ${x}`;
          t.ok(close(Math.exp(mid.logP), probability(theta, item, D, x), 1e-12), `${label}: log P`);
          t.ok(close(mid.score, (hi.logP - lo.logP) / (2 * h), 1e-6), `${label}: score`);
          t.ok(close(mid.curvature, (hi.score - lo.score) / (2 * h), 1e-6), `${label}: curvature`);
          t.ok(close(mid.dInfo, (hi.info - lo.info) / (2 * h), 1e-6), `${label}: dI`);
          t.ok(close(mid.dJ, (hi.j - lo.j) / (2 * h), 1e-6), `${label}: dJ`);
        }
        const p = categoryProbabilities(theta, item, D);
        const plus = categoryProbabilities(theta + h, item, D);
        const minus = categoryProbabilities(theta - h, item, D);
        const fisher = p.reduce((s, pk, k) => s + ((plus[k]! - minus[k]!) / (2 * h)) ** 2 / pk, 0);
        t.ok(close(information(theta, item, D), fisher, 1e-6), `${item.model} D ${D} theta ${theta}: I = sum P'^2 / P`);
        t.ok(close(at(theta, item, D, 0).j, numericJ(theta, item, D), 1e-5), `${item.model} D ${D} theta ${theta}: J`);
      }
    }
  }
});

t.test('estimates on a mixed test: MLE maximizes the likelihood, all finite for extreme patterns', async (t) => {
  const items: Item[] = [{ a: 1.2, b: -0.5, c: 0.2, d: 1 }, ...ITEMS, { a: 0.8, b: 1, c: 0, d: 0.95 }];
  const patterns = [items.map(() => 0), items.map((it) => categoryCount(it) - 1), items.map((it, i) => (i * 7) % categoryCount(it))];
  for (const [n, x] of patterns.entries()) {
    for (const method of ['EAP', 'MAP', 'MLE', 'WLE'] as EstimatorName[]) {
      const est = estimateAbility(method, items, x, { D: 1.702 });
      t.ok(Number.isFinite(est.theta) && est.se > 0 && Number.isFinite(est.se), `pattern ${n} ${method}: ${est.theta} ± ${est.se}`);
    }
  }
  const x = patterns[2]!;
  const mle = estimateAbility('MLE', items, x, { D: 1.702 }).theta;
  t.ok(mle > -4 && mle < 4, 'an interior maximum');
  for (const d of [-0.01, 0.01]) t.ok(logLikelihood(mle, items, x, 1.702) > logLikelihood(mle + d, items, x, 1.702), `higher than at ${d}`);
  // Category 0 is the lowest only where slopes rise with k: not for the NRM item whose
  // category 1 has a negative slope (its likelihood peaks inside the range).
  const ordered = items.filter((it) => it !== ITEMS[6]);
  t.equal(estimateAbility('MLE', ordered, ordered.map(() => 0)).theta, -4, 'all lowest categories: the lower end of the range');
  t.equal(estimateAbility('MLE', ordered, ordered.map((it) => categoryCount(it) - 1)).theta, 4, 'all highest categories: the upper end');
  const nrmLow = estimateAbility('MLE', [ITEMS[6]!], [0]).theta;
  t.ok(nrmLow > -4 && nrmLow < 4, `NRM with a negative slope, category 0: interior (${nrmLow})`);
  const parts = logLikelihood(0.3, items.slice(0, 4), x.slice(0, 4), 1) + logLikelihood(0.3, items.slice(4), x.slice(4), 1);
  t.ok(close(logLikelihood(0.3, items, x, 1), parts), 'the log-likelihood adds up over dichotomous and polytomous items');
  t.throws(() => estimateAbility('EAP', [ITEMS[0]!], [4]), /category 0\.\.3/);
  t.throws(() => estimateAbility('EAP', [ITEMS[0]!], [1.5]), RangeError);
  t.throws(() => estimateAbility('EAP', [items[0]!], [2]), /must be 0 or 1/);
});

t.test('simulated answers follow the category probabilities', async (t) => {
  for (const item of [ITEMS[0]!, ITEMS[3]!, ITEMS[6]!]) {
    const p = categoryProbabilities(0.4, item, 1.702);
    const counts = new Float64Array(p.length);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[responseFromUniform(0.4, item, (i + 0.5) / n, 1.702)]! += 1;
    t.ok(p.every((pk, k) => Math.abs(counts[k]! / n - pk) < 2e-5), `${item.model}: shares ${Array.from(counts, (c) => c / n)} vs ${Array.from(p)}`);
  }
  const twoPl = { a: 1, b: 0, c: 0, d: 1 };
  t.equal(responseFromUniform(0, twoPl, 0.49), 1, 'dichotomous: correct when u < P');
  t.equal(responseFromUniform(0, twoPl, 0.5), 0);
});

t.test('items are validated when a bank is built', async (t) => {
  const bad: [unknown, RegExp][] = [
    [{ model: 'GRM', a: 1, b: [0.5, 0.5] }, /strictly increasing/],
    [{ model: 'GRM', a: 0, b: [0] }, /a must be > 0/],
    [{ model: 'GPCM', a: 1, delta: [] }, /array of 1 to 30/],
    [{ model: 'PCM', delta: Array.from({ length: 31 }, () => 0) }, /array of 1 to 30/],
    [{ model: 'PCM', delta: [0, Number.NaN] }, /finite/],
    [{ model: 'RSM', lambda: Infinity, delta: [0] }, /lambda/],
    [{ model: 'NRM', a: [1, 2], c: [0] }, /as many c/],
    [{ model: 'IRT9', b: 0 }, /unknown item model/],
    [{ model: '2PL', a: 1, b: 0, c: 0.2 }, /2PL item has c = 0/],
    [{ model: '1PL', a: 1.3, b: 0 }, /1PL item has a = 1/],
  ];
  for (const [item, message] of bad) t.throws(() => createItemBank([item as AnyItemInput]), message, JSON.stringify(item));
  const source = { model: 'GRM' as const, a: 1, b: [0, 1] };
  const bank = createItemBank([source, { b: 0 }, { model: '3PL', a: 1.2, b: 0, c: 0.2 }]);
  source.b[0] = 5;
  t.same(bank.items[0], { model: 'GRM', a: 1, b: [0, 1] }, "a bank keeps its own copy of the caller's arrays");
  t.same(Array.from(bank.categories), [3, 2, 2]);
  t.equal(bank.polytomous, 1);
  t.same(toItem({ model: '4PL', b: 1 }), { a: 1, b: 1, c: 0, d: 1 });
});

t.test('a mixed bank: selection information equals the model, the CAT takes categories', async (t) => {
  const bank = createItemBank([...ITEMS, { a: 1.1, b: 0.2, c: 0.15, d: 1 }, { b: -1 }], { D: 1.702 });
  // +-200 and +-1000 overflow the precomputed exponentials: the general formula takes over.
  for (const theta of [-1000, -200, -5, ...THETAS, 5, 200, 1000]) {
    for (let i = 0; i < bank.size; i++) {
      t.ok(close(bankInformation(bank, i, theta), information(theta, bank.items[i]!, 1.702), 1e-10), `item ${i} theta ${theta}`);
    }
  }
  // Exposure control works on polytomous items as on dichotomous ones.
  const best = selectItem(bank, 0.3, new Uint8Array(bank.size), createRng(1)).index;
  t.ok(bank.kind[best]! > 0, 'the most informative item at 0.3 is polytomous');
  const sh = Float64Array.from({ length: bank.size }, (_, i) => (i === best ? 0 : 1));
  const shChoice = selectItem(bank, 0.3, new Uint8Array(bank.size), createRng(1), { sympsonHetter: sh });
  t.not(shChoice.index, best, 'Sympson-Hetter K = 0 passes it over');
  t.same(shChoice.rejected, [best]);
  const drawn = new Set<number>();
  for (let seed = 0; seed < 100; seed++) drawn.add(selectItem(bank, 0.3, new Uint8Array(bank.size), createRng(seed), { randomesque: 3 }).index);
  t.equal(drawn.size, 3, 'randomesque draws among three');
  t.ok(drawn.has(best), 'the best among them');
  const engine = createCatEngine({ bank, stopping: { maxItems: 9 } });
  let session = engine.start();
  t.throws(() => engine.answer(session, 0, 4), /category 0\.\.3/);
  t.throws(() => engine.answer(session, 7, 2), /must be 0 or 1/);
  session = engine.answer(session, 0, 3);
  session = engine.answer(session, 3, 4);
  t.same(session.responses, [3, 4]);
  t.ok(session.theta > 0.5, `high categories raise the estimate: ${session.theta}`);
  const rng = createRng(4);
  for (;;) {
    const step = engine.next(session, rng);
    if (step.done) break;
    session = engine.answer(step.session, step.item, responseFromUniform(0, bank.items[step.item]!, rng.next(), 1.702));
  }
  t.equal(session.items.length, 9, 'the whole mixed bank was used');
});
