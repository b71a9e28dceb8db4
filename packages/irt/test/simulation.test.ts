// Simulation results that psychometric theory predicts: accuracy improves with
// length, precision-based tests are shorter where the bank is informative, and runs
// are reproducible from the seed.

import t from 'tap';
import { categoryCount, createCatEngine, createItemBank, createRng, generateBank, isPolytomous, randomNormal, simulateCats, simulateExaminee } from '../src/index.js';

const bank = createItemBank(generateBank(300, createRng(21), { model: '3PL' }));
const thetas = Array.from({ length: 250 }, (_, i) => randomNormal(createRng(1000 + i)));

t.test('RMSE falls as the test gets longer', async (t) => {
  const report = simulateCats({ bank, estimator: 'EAP', stopping: { maxItems: 30 } }, thetas, { seed: 3 });
  const rmse = (k: number): number => report.byLength[k - 1]!.rmse;
  t.ok(rmse(3) > rmse(10), `3 items ${rmse(3).toFixed(3)} > 10 items ${rmse(10).toFixed(3)}`);
  t.ok(rmse(10) > rmse(20), `10 items > 20 items ${rmse(20).toFixed(3)}`);
  t.ok(rmse(20) > rmse(30), `20 items > 30 items ${rmse(30).toFixed(3)}`);
  t.ok(rmse(30) < 0.4, 'a 30-item CAT is accurate');
  t.equal(report.byLength[29]!.examinees, 250, 'every examinee reached 30 items');
  t.ok(Math.abs(report.overall.bias) < 0.08, `small bias ${report.overall.bias.toFixed(3)}`);
  t.equal(report.overall.rmse, rmse(30), 'final accuracy is the accuracy at the last length');
});

t.test('SE-based stopping ends sooner where the bank is informative', async (t) => {
  // Difficulties concentrated near 0: information is high there and low at the tails.
  const centred = createItemBank(generateBank(300, createRng(5), { model: '2PL', difficulty: { mean: 0, sd: 0.6 } }));
  const grid = Array.from({ length: 120 }, (_, i) => -3 + (6 * i) / 119);
  const report = simulateCats({ bank: centred, stopping: { seTarget: 0.3, maxItems: 80 } }, grid, {
    seed: 9,
    thetaBands: [-3, -2, -0.5, 0.5, 2, 3.01],
  });
  const band = (from: number): number => report.byTheta.find((b) => b.from === from)!.meanLength;
  t.ok(band(-0.5) < band(-3), `middle ${band(-0.5).toFixed(1)} items < low tail ${band(-3).toFixed(1)}`);
  t.ok(band(-0.5) < band(2), `middle < high tail ${band(2).toFixed(1)}`);
});

t.test('deterministic for a seed, different across seeds', async (t) => {
  const config = { bank, randomesque: 3, stopping: { maxItems: 10 } } as const;
  const a = simulateCats(config, thetas.slice(0, 40), { seed: 77 });
  const b = simulateCats(config, thetas.slice(0, 40), { seed: 77 });
  const c = simulateCats(config, thetas.slice(0, 40), { seed: 78 });
  t.same(a, b);
  t.notSame(a.exposure.rates, c.exposure.rates);
});

t.test('exposure figures are consistent with each other', async (t) => {
  const report = simulateCats({ bank, stopping: { maxItems: 15 } }, thetas, { seed: 4 });
  const zero = report.exposure.rates.filter((r) => r === 0).length;
  t.equal(report.exposure.neverUsed, zero);
  t.equal(report.exposure.neverUsedIds.length, zero);
  t.ok(zero > 100, `plain MFI leaves much of the bank unused (${zero})`);
  const sum = report.exposure.rates.reduce((s, r) => s + r, 0);
  t.ok(Math.abs(sum - 15) < 1e-9, 'rates add up to the test length');
  t.equal(report.exposure.maxRate, 1, 'plain MFI gives the same first item to everyone');
});

t.test('randomesque spreads exposure; Sympson-Hetter K = 0 items are never used', async (t) => {
  const plain = simulateCats({ bank, stopping: { maxItems: 15 } }, thetas, { seed: 6 });
  const spread = simulateCats({ bank, randomesque: 5, stopping: { maxItems: 15 } }, thetas, { seed: 6 });
  t.ok(spread.exposure.maxRate < plain.exposure.maxRate, `max exposure ${spread.exposure.maxRate} < ${plain.exposure.maxRate}`);
  t.ok(spread.exposure.neverUsed < plain.exposure.neverUsed, 'more of the bank is used');
  // Everyone starts at theta = 0: plain MFI gives one first item, randomesque five.
  const engine = createCatEngine({ bank, randomesque: 5, stopping: { maxItems: 1 } });
  const rng = createRng(8);
  const firsts = new Map<number, number>();
  for (const theta of thetas) {
    const first = simulateExaminee(engine, theta, rng).items[0]!;
    firsts.set(first, (firsts.get(first) ?? 0) + 1);
  }
  t.equal(firsts.size, 5, 'five different first items');
  for (const [item, n] of firsts) t.ok(n / thetas.length < 0.3, `first item ${item} given to ${n} of ${thetas.length}`);

  const used = plain.exposure.rates.map((r, i) => [r, i] as const).sort((x, y) => y[0] - x[0]).slice(0, 10);
  const k = new Float64Array(bank.size).fill(1);
  for (const [, i] of used) k[i] = 0;
  const sh = simulateCats({ bank, sympsonHetter: k, stopping: { maxItems: 15 } }, thetas, { seed: 6 });
  for (const [rate, i] of used) {
    t.ok(rate > 0.3, `item ${i} is popular without control (${rate.toFixed(2)})`);
    t.equal(sh.exposure.rates[i], 0, `item ${i} never given with K = 0`);
  }
  t.equal(sh.overall.meanLength, 15, 'tests still reach full length');
});

t.test('generated banks: dichotomous ones as before, polytomous and mixed ones valid', async (t) => {
  // The 4PL bank the generator made before polytomous models existed (same seed): adding
  // models must not shift the random stream of existing studies.
  t.same(generateBank(3, createRng(9), { model: '4PL', topics: ['x', 'y'] }), [
    { id: 'item-1', a: 1.464, b: -0.675, c: 0.233, d: 0.967, topic: 'y' },
    { id: 'item-2', a: 1.243, b: 0.919, c: 0.162, d: 0.996, topic: 'y' },
    { id: 'item-3', a: 1.054, b: -0.293, c: 0.24, d: 0.962, topic: 'x' },
  ]);
  const items = generateBank(600, createRng(3), { model: ['3PL', 'GRM', 'PCM', 'GPCM', 'RSM', 'NRM'], categories: 5 });
  const bank = createItemBank(items);
  const byModel = new Map<string, number>();
  for (const it of bank.items) byModel.set(it.model ?? 'dichotomous', (byModel.get(it.model ?? 'dichotomous') ?? 0) + 1);
  t.same([...byModel.keys()].sort(), ['GPCM', 'GRM', 'NRM', 'PCM', 'RSM', 'dichotomous'], 'every model drawn');
  for (const n of byModel.values()) t.ok(n > 60 && n < 140, `about a sixth each: ${n}`);
  t.ok(bank.items.every((it, i) => categoryCount(it) === (isPolytomous(it) ? 5 : 2) && bank.categories[i] === categoryCount(it)), 'five categories per polytomous item');
  const rsm = bank.items.filter((it) => it.model === 'RSM');
  t.ok(rsm.every((it) => JSON.stringify(it.model === 'RSM' && it.delta) === JSON.stringify(rsm[0]!.model === 'RSM' && rsm[0]!.delta)), 'RSM items share their steps');
  t.throws(() => generateBank(3, createRng(1), { model: 'GRM', categories: 1 }), /categories/);
  t.throws(() => generateBank(3, createRng(1), { model: [] }), /at least one model/);
});
