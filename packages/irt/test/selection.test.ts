// Item selection against brute force: the fast scan must choose exactly what a
// naive "compute every information, sort" would, and never a excluded item.

import t from 'tap';
import { contentTargets, createItemBank, createRng, createSelectionScratch, generateBank, information, selectItem } from '../src/index.js';
import type { ItemBank } from '../src/index.js';

function bruteForceRanking(bank: ItemBank, theta: number, excluded: Uint8Array, topic = -1): number[] {
  const idx: number[] = [];
  for (let i = 0; i < bank.size; i++) if (!excluded[i] && (topic < 0 || bank.topicOf[i] === topic)) idx.push(i);
  const info = (i: number): number =>
    information(theta, { a: bank.a[i]!, b: bank.b[i]!, c: bank.c[i]!, d: bank.d[i]! }, bank.D);
  return idx.sort((x, y) => info(y) - info(x) || x - y);
}

t.test('maximum information matches brute force on random banks', async (t) => {
  for (const [seed, D] of [[1, 1], [2, 1.702], [3, 1]] as const) {
    const rng = createRng(seed);
    const bank = createItemBank(generateBank(2000, rng, { model: '4PL' }), { D });
    const scratch = createSelectionScratch(bank);
    for (let rep = 0; rep < 20; rep++) {
      const theta = -3.5 + 7 * rng.next();
      const excluded = new Uint8Array(bank.size);
      for (let i = 0; i < bank.size; i++) if (rng.next() < 0.3) excluded[i] = 1;
      const r = selectItem(bank, theta, excluded, rng, {}, scratch);
      t.equal(r.index, bruteForceRanking(bank, theta, excluded)[0], `seed ${seed} theta ${theta.toFixed(2)}`);
    }
  }
});

t.test('excluded items are never chosen, and an empty pool says so', async (t) => {
  const bank = createItemBank([{ b: 0 }, { b: 0.1 }, { b: 3 }]);
  const excluded = Uint8Array.from([1, 1, 0]);
  t.equal(selectItem(bank, 0, excluded, createRng(1)).index, 2, 'only the far item is left');
  const none = selectItem(bank, 0, Uint8Array.from([1, 1, 1]), createRng(1));
  t.equal(none.index, -1);
  t.equal(none.information, 0);
  t.throws(() => selectItem(bank, 0, new Uint8Array(2), createRng(1)), RangeError, 'mask must fit the bank');
});

t.test('ties go to the lower bank index', async (t) => {
  const bank = createItemBank([{ b: 1 }, { b: -0.5 }, { b: 0.5 }, { b: -0.5 }]);
  t.equal(selectItem(bank, -0.5, new Uint8Array(4), createRng(1)).index, 1);
});

t.test('randomesque draws uniformly among exactly the k most informative items', async (t) => {
  const rng = createRng(42);
  const bank = createItemBank(generateBank(500, rng, { model: '3PL' }));
  const excluded = new Uint8Array(bank.size);
  const top5 = new Set(bruteForceRanking(bank, 0.3, excluded).slice(0, 5));
  const scratch = createSelectionScratch(bank, 5);
  const counts = new Map<number, number>();
  const draws = 5000;
  for (let i = 0; i < draws; i++) {
    const r = selectItem(bank, 0.3, excluded, rng, { randomesque: 5 }, scratch);
    counts.set(r.index, (counts.get(r.index) ?? 0) + 1);
  }
  t.same(new Set(counts.keys()), top5, 'only the top 5 are ever drawn, and all of them are');
  for (const [item, n] of counts) t.ok(Math.abs(n / draws - 0.2) < 0.03, `item ${item}: ${n / draws}`);
});

t.test('Sympson-Hetter: K = 0 is never administered, K = 1 always, K = 0.5 half the time', async (t) => {
  const rng = createRng(9);
  const bank = createItemBank(generateBank(300, rng, { model: '2PL' }));
  const excluded = new Uint8Array(bank.size);
  const ranking = bruteForceRanking(bank, 0, excluded);
  const best = ranking[0]!;
  const second = ranking[1]!;
  const k = new Float64Array(bank.size).fill(1);
  k[best] = 0;
  const scratch = createSelectionScratch(bank);
  for (let i = 0; i < 200; i++) {
    const r = selectItem(bank, 0, excluded, rng, { sympsonHetter: k }, scratch);
    if (r.index === best) t.fail('K = 0 item administered');
    if (r.index !== second || r.rejected.length !== 1 || r.rejected[0] !== best) t.fail('should fall to the next best');
  }
  t.pass('200 selections without the K = 0 item');
  k[best] = 0.5;
  let given = 0;
  for (let i = 0; i < 4000; i++) if (selectItem(bank, 0, excluded, rng, { sympsonHetter: k }, scratch).index === best) given++;
  t.ok(Math.abs(given / 4000 - 0.5) < 0.03, `K = 0.5 administered ${given / 4000} of the time`);
  t.equal(selectItem(bank, 0, excluded, rng, { sympsonHetter: new Float64Array(bank.size) }, scratch).index, -1, 'all K = 0');
});

t.test('Sympson-Hetter rejections beyond the spare candidates still find the right item', async (t) => {
  const rng = createRng(10);
  const bank = createItemBank(generateBank(400, rng, { model: '3PL' }));
  const excluded = new Uint8Array(bank.size);
  const ranking = bruteForceRanking(bank, -0.4, excluded);
  const k = new Float64Array(bank.size).fill(1);
  for (const i of ranking.slice(0, 40)) k[i] = 0; // more than the scan keeps in reserve
  const r = selectItem(bank, -0.4, excluded, rng, { sympsonHetter: k, randomesque: 3 });
  t.ok(ranking.slice(40, 43).includes(r.index), `drawn from the best 3 admissible (${r.index})`);
  t.equal(r.rejected.length, 40, 'every K = 0 candidate was passed over');
});

t.test('content balancing restricts the scan to the chosen topic', async (t) => {
  const rng = createRng(4);
  const bank = createItemBank(generateBank(600, rng, { topics: ['alg', 'geo', 'num'] }));
  const targets = contentTargets(bank.topics, { geo: 1 });
  const excluded = new Uint8Array(bank.size);
  const r = selectItem(bank, 0, excluded, rng, { contentTargets: targets, topicCounts: new Int32Array(3) });
  const geo = bank.topics.indexOf('geo');
  t.equal(r.topic, geo);
  t.equal(r.index, bruteForceRanking(bank, 0, excluded, geo)[0]);
});
