// EAP kept answer by answer: the grid's log-likelihood sums extended one item at a time must give exactly the
// estimate and SE that estimating from all the answers again gives, bit for bit, on random tests of every model
// (a CAT step keeps the sums in memory between answers on the strength of this).

import t from 'tap';
import {
  categoryCount,
  createRng,
  estimateEap,
  estimateEapFromGrid,
  extendGridLogLikelihood,
  generateBank,
  gridLogLikelihood,
  randomInt,
  toItem,
} from '../src/index.js';
import type { EstimationOptions, Item, ItemModel } from '../src/index.js';

const MIXES: (ItemModel | ItemModel[])[] = ['1PL', '2PL', '3PL', '4PL', ['3PL', 'GRM', 'GPCM'], ['2PL', 'PCM', 'RSM', 'NRM', '4PL']];
const SETTINGS: EstimationOptions[] = [{}, { D: 1.702, prior: { mean: 0.5, sd: 1.3 }, grid: { lower: -6, upper: 5, points: 61 } }];

t.test('a grid extended one answer at a time gives the from-scratch EAP estimate and SE, bit for bit', async (t) => {
  const rng = createRng(20261206);
  const differences: string[] = [];
  let compared = 0;
  for (const model of MIXES) {
    for (const options of SETTINGS) {
      const items: Item[] = generateBank(120, rng, { model }).map(toItem);
      // Mostly right answers, some long runs: the sums reach far from 0 and the maximum moves to the grid's end.
      const responses = items.map((item) => randomInt(rng, categoryCount(item)));
      let values = gridLogLikelihood([], [], options);
      for (let n = 1; n <= items.length; n++) {
        values = extendGridLogLikelihood(values, items[n - 1]!, responses[n - 1]!, options);
        const kept = estimateEapFromGrid(values, options);
        const afresh = estimateEap(items.slice(0, n), responses.slice(0, n), options);
        compared++;
        if (!Object.is(kept.theta, afresh.theta) || !Object.is(kept.se, afresh.se)) differences.push(`${String(model)} n=${n}: ${kept.theta}/${kept.se} vs ${afresh.theta}/${afresh.se}`);
      }
    }
  }
  t.equal(compared, MIXES.length * SETTINGS.length * 120, 'every prefix of every test compared');
  t.same(differences, [], 'no estimate or SE differs in any bit');
});

t.test('extending leaves the sums it was given as they were', async (t) => {
  const items: Item[] = generateBank(3, createRng(7), { model: '2PL' }).map(toItem);
  const before = gridLogLikelihood(items.slice(0, 2), [1, 0]);
  const copy = Float64Array.from(before);
  const after = extendGridLogLikelihood(before, items[2]!, 1);
  t.same([...before], [...copy], 'the earlier sums are unchanged');
  t.same([...after], [...gridLogLikelihood(items, [1, 0, 1])], 'the new sums are those of all three answers');
});

t.test('a response outside the item\'s categories and sums of another grid are refused', async (t) => {
  const [item] = generateBank(1, createRng(8), { model: '2PL' }).map(toItem);
  t.throws(() => extendGridLogLikelihood(gridLogLikelihood([], []), item!, 2), RangeError);
  t.throws(() => extendGridLogLikelihood(new Float64Array(5), item!, 1), RangeError);
  t.throws(() => estimateEapFromGrid(new Float64Array(5)), RangeError);
});
