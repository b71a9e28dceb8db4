// Sympson-Hetter parameters derived by simulation: the issue's bank (300 2PL items, 1000
// examinees, 30 items) gets a maximum exposure rate within 0.25 in a fresh sample, and the
// procedure's guards (complete tests, item sets as units, refusal fallback) hold.

import t from 'tap';
import {
  bankInformation,
  createCatEngine,
  createItemBank,
  createRng,
  deriveSympsonHetter,
  generateBank,
  randomNormal,
  selectItem,
  simulateCats,
  simulateExaminee,
  sympsonHetterSetting,
} from '../src/index.js';

t.test('derived K at 0.25: maximum exposure within 0.25 on fresh examinees, fewer items unused', async (t) => {
  const bank = createItemBank(generateBank(300, createRng(3), { model: '2PL' }));
  const config = { bank, stopping: { maxItems: 30 } } as const;
  // The check's examinees and selection seed differ from the derivation's (seed 11 draws its own).
  const thetaRng = createRng(4);
  const thetas = Array.from({ length: 1000 }, () => randomNormal(thetaRng));
  const none = simulateCats(config, thetas, { seed: 1 });
  const randomesque5 = simulateCats({ ...config, randomesque: 5 }, thetas, { seed: 1 });

  const derived = deriveSympsonHetter(config, { target: 0.25, seed: 11 });
  const shared = simulateCats({ ...config, sympsonHetter: derived.k }, thetas, { seed: 1 });

  const rmse30 = (r: typeof none): number => r.byLength[29]!.rmse;
  t.comment(`no control: max ${none.exposure.maxRate.toFixed(3)}, RMSE@30 ${rmse30(none).toFixed(4)}, never used ${none.exposure.neverUsed}`);
  t.comment(`randomesque 5: max ${randomesque5.exposure.maxRate.toFixed(3)}, RMSE@30 ${rmse30(randomesque5).toFixed(4)}, never used ${randomesque5.exposure.neverUsed}`);
  t.comment(`derived K (aim ${derived.aim.toFixed(4)}, iteration ${derived.chosen} of ${derived.trace.length}): max ${shared.exposure.maxRate.toFixed(3)}, RMSE@30 ${rmse30(shared).toFixed(4)}, never used ${shared.exposure.neverUsed}`);
  t.comment(`trace: ${derived.trace.map((s) => `${s.iteration}: max ${s.maxExposure.toFixed(3)}, K<1 ${s.restricted}`).join('; ')}`);

  t.equal(none.exposure.maxRate, 1, 'without control one item goes to everyone (the hot core)');
  t.ok(derived.converged, 'the simulated maximum stayed within the target');
  // The promise, on examinees the derivation never saw: K aims 3 sampling SDs below 0.25,
  // so rates at the aim do not pass 0.25 by the noise of 1000 examinees.
  t.ok(shared.exposure.maxRate <= 0.25, `maximum exposure ${shared.exposure.maxRate} <= 0.25`);
  t.ok(shared.exposure.maxRate > derived.aim - 0.05, 'exposure is capped, not suppressed');
  t.ok(shared.exposure.neverUsed < none.exposure.neverUsed, `never used ${shared.exposure.neverUsed} < ${none.exposure.neverUsed}`);
  t.equal(shared.overall.meanLength, 30, 'every test reaches its 30 items');
  // Capping the best items costs precision. Measured 1.15x here; even a selection that
  // knew every true theta loses about as much under this cap (see the package README).
  t.ok(rmse30(shared) <= 1.25 * rmse30(none), `RMSE at 30 items ${rmse30(shared).toFixed(4)} <= 1.25 x ${rmse30(none).toFixed(4)}`);
  // The issue's 5% is not reached (about 15% here): not asserted, reported. exposure-bound.test.ts shows no
  // allocation within 0.25 can reach it on this bank, even one knowing every θ (at least 5.9%).
  t.comment(`RMSE at 30 items ${(rmse30(shared) / rmse30(none)).toFixed(3)} x no control (issue 18 asks <= 1.05)`);

  const setting = sympsonHetterSetting(bank.ids, derived.k);
  const listed = Object.keys(setting);
  t.equal(listed.length, Array.from(derived.k).filter((k) => k < 1).length, 'the setting lists exactly the items with K < 1');
  t.ok(listed.length > 0 && listed.length <= 1000, `${listed.length} items fit the exam setting's 1000 entries`);
  t.ok(Object.values(setting).every((k) => k > 0 && k < 1), 'every listed K is in (0, 1)');
});

t.test('deterministic for a seed, and item sets share one K', async (t) => {
  const bank = createItemBank(generateBank(80, createRng(5), { model: '2PL' }));
  const itemSets = [['item-01', 'item-02', 'item-03'], ['item-10', 'item-11']];
  const config = { bank, itemSets, stopping: { maxItems: 10 } };
  const options = { target: 0.3, seed: 4, examinees: 300, maxIterations: 6 };
  const a = deriveSympsonHetter(config, options);
  t.same(deriveSympsonHetter(config, options), a, 'same seed, same result');
  t.notSame(deriveSympsonHetter(config, { ...options, seed: 5 }).trace, a.trace, 'another seed, other examinees');
  for (const set of itemSets) {
    const ks = set.map((id) => a.k[bank.ids.indexOf(id)]);
    t.equal(new Set(ks).size, 1, `members of ${set.join(', ')} share K ${ks[0]}`);
  }
});

t.test('a bank too small for the target keeps enough items at K = 1 to finish every test', async (t) => {
  // 12 items, 10 per test: a cap of 0.3 cannot hold; the test must still be completed.
  const bank = createItemBank(generateBank(12, createRng(6), { model: '2PL' }));
  const config = { bank, stopping: { maxItems: 10 } };
  const derived = deriveSympsonHetter(config, { target: 0.3, seed: 1, examinees: 200, maxIterations: 4 });
  t.notOk(derived.converged, 'the target is out of reach');
  t.ok(derived.trace.every((s) => s.restricted <= 2), 'at most 2 of 12 items ever have K < 1');
  const engine = createCatEngine({ ...config, sympsonHetter: derived.k });
  const rng = createRng(2);
  const lengths = Array.from({ length: 50 }, (_, i) => simulateExaminee(engine, -2 + (4 * i) / 49, rng).length);
  t.same(new Set(lengths), new Set([10]), 'every test has 10 items');
});

t.test('when every eligible item is refused, the most informative refused one with K > 0 is given', async (t) => {
  const bank = createItemBank(generateBank(40, createRng(7), { model: '2PL' }));
  const excluded = new Uint8Array(40);
  const tiny = new Float64Array(40).fill(1e-12);
  const choice = selectItem(bank, 0.4, excluded, createRng(3), { sympsonHetter: tiny });
  let best = -1;
  for (let i = 0; i < 40; i++) if (best < 0 || bankInformation(bank, i, 0.4) > bankInformation(bank, best, 0.4)) best = i;
  t.equal(choice.index, best, 'the most informative item');
  t.equal(choice.rejected.length, 39, 'the others are reported as passed over');
  t.notOk(choice.rejected.includes(best), 'the given item is not among them');

  const zeroBest = tiny.slice();
  zeroBest[best] = 0;
  const second = selectItem(bank, 0.4, excluded, createRng(3), { sympsonHetter: zeroBest });
  t.not(second.index, best, 'an item with K = 0 is never the fallback');
  t.ok(second.index >= 0);
  t.equal(selectItem(bank, 0.4, excluded, createRng(3), { sympsonHetter: new Float64Array(40) }).index, -1, 'all K = 0: nothing to give');
});

t.test('bad derivation options are refused', async (t) => {
  const bank = createItemBank(generateBank(20, createRng(8), { model: '2PL' }));
  const config = { bank, stopping: { maxItems: 5 } };
  t.throws(() => deriveSympsonHetter(config, { target: 0, seed: 1 }), /target must be in/);
  t.throws(() => deriveSympsonHetter(config, { target: 0.2, seed: 1, examinees: 0 }), /examinees/);
  t.throws(() => deriveSympsonHetter(config, { target: 0.2, seed: 1, margin: 0.2 }), /margin/);
});
