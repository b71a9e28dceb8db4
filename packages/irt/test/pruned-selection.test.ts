// Pruned selection against the full scan: on many random banks (1PL to 4PL, with and
// without polytomous items, ties, exclusions, topics) and abilities in [-4, 4], the index
// must return exactly the candidates, in exactly the order, that evaluating every item
// returns; and the bounds it prunes with must never be below an item's information.

import t from 'tap';
import {
  collectMostInformative,
  collectMostInformativePruned,
  contentTargets,
  createCatEngine,
  createItemBank,
  createRng,
  createSelectionScratch,
  generateBank,
  information,
  pendingSetItem,
  itemSetIndex,
  selectItem,
} from '../src/index.js';
import type { BankItemInput, ItemBank, ItemModel, Rng, SelectionOptions } from '../src/index.js';
import { dichotomousInformation } from '../src/bank-information.js';
import { SLACK_ABSOLUTE, SLACK_RELATIVE, dichotomousPeak, polytomousPeak, regionBound } from '../src/information-bounds.js';
import type { PolytomousItem } from '../src/polytomous.js';

const MIXES: (ItemModel | ItemModel[])[] = ['1PL', '2PL', '3PL', '4PL', ['1PL', '2PL', '3PL', '4PL'], ['3PL', 'GRM', 'GPCM'], ['2PL', 'PCM', 'RSM', 'NRM', '4PL']];
const TOPICS = ['alg', 'geo', 'num'];

const slack = (bound: number): number => bound * (1 + SLACK_RELATIVE) + SLACK_ABSOLUTE;

/** A generated bank with some items copied to other places, so equal informations occur. */
function randomBank(rng: Rng, size: number, model: ItemModel | ItemModel[], D: number): ItemBank {
  const items: BankItemInput[] = generateBank(size, rng, { model, topics: TOPICS });
  const copies = Math.floor(size * 0.1);
  for (let k = 0; k < copies; k++) {
    const from = items[Math.floor(rng.next() * items.length)]!;
    items.splice(Math.floor(rng.next() * items.length), 0, { ...from, id: `copy-${k}` });
  }
  return createItemBank(items, { D });
}

function randomMask(rng: Rng, size: number, rate: number): Uint8Array {
  const mask = new Uint8Array(size);
  for (let i = 0; i < size; i++) if (rng.next() < rate) mask[i] = 1;
  return mask;
}

t.test('the pruned scan returns the full scan\'s candidates, in its order', async (t) => {
  const rng = createRng(17);
  let cases = 0;
  let mismatches = 0;
  for (let rep = 0; rep < 60; rep++) {
    const model = MIXES[rep % MIXES.length]!;
    const size = [1, 7, 40, 300, 1500][rep % 5]!;
    const bank = randomBank(rng, size, model, rep % 2 === 0 ? 1 : 1.702);
    const full = createSelectionScratch(bank, 8);
    const pruned = createSelectionScratch(bank, 8);
    for (let q = 0; q < 25; q++) {
      // Abilities anywhere in [-4, 4], and some exactly at an item's b.
      const at = bank.b[Math.floor(rng.next() * bank.size)]!;
      const theta = q % 5 === 4 && Number.isFinite(at) ? at : -4 + 8 * rng.next();
      const excluded = randomMask(rng, bank.size, [0, 0.05, 0.3, 0.9][q % 4]!);
      const rejected = randomMask(rng, bank.size, q % 3 === 0 ? 0.1 : 0);
      full.rejectedMask.set(rejected);
      pruned.rejectedMask.set(rejected);
      for (const topic of [-1, 0, 1, 2]) {
        for (const want of [1, 3, 8 + 16]) {
          const n = collectMostInformative(bank, theta, excluded, topic, want, full);
          const m = collectMostInformativePruned(bank, theta, excluded, topic, want, pruned);
          cases++;
          const same =
            n === m &&
            Array.from(full.topIndex.subarray(0, n)).join() === Array.from(pruned.topIndex.subarray(0, m)).join() &&
            Array.from(full.topInfo.subarray(0, n)).join() === Array.from(pruned.topInfo.subarray(0, m)).join();
          if (!same) {
            mismatches++;
            t.fail(`bank ${rep} (${String(model)}, ${size}) theta ${theta} topic ${topic} want ${want}`);
          }
        }
      }
    }
    full.rejectedMask.fill(0);
    pruned.rejectedMask.fill(0);
  }
  t.equal(mismatches, 0, `${cases} comparisons`);
});

t.test('ties are broken as the full scan breaks them: the lower bank index first', async (t) => {
  const bank = createItemBank(Array.from({ length: 100 }, (_, i) => ({ a: 1 + (i % 3) * 0.5, b: (i % 7) - 3, c: 0.1 })), { D: 1.702 });
  const scratch = createSelectionScratch(bank, 10);
  for (const theta of [-3, -1, 0, 0.5, 3]) {
    const m = collectMostInformativePruned(bank, theta, new Uint8Array(bank.size), -1, 10, scratch);
    const ranked = Array.from({ length: bank.size }, (_, i) => i).sort(
      (x, y) => dichotomousInformation(bank.da[y]!, bank.b[y]!, bank.c[y]!, bank.d[y]!, bank.span[y]!, theta) - dichotomousInformation(bank.da[x]!, bank.b[x]!, bank.c[x]!, bank.d[x]!, bank.span[x]!, theta) || x - y,
    );
    t.same(Array.from(scratch.topIndex.subarray(0, m)), ranked.slice(0, 10), `theta ${theta}`);
  }
});

t.test('selectItem chooses the same item either way, with every option', async (t) => {
  const rng = createRng(5);
  const options: SelectionOptions[] = [
    {},
    { randomesque: 5 },
    { randomesque: 3, sympsonHetter: new Float64Array(0) },
    { contentTargets: new Float64Array(0), topicCounts: Int32Array.from([2, 0, 1]) },
    { randomesque: 4, sympsonHetter: new Float64Array(0), contentTargets: new Float64Array(0), topicCounts: Int32Array.from([3, 3, 1]) },
  ];
  let compared = 0;
  for (let rep = 0; rep < 14; rep++) {
    const bank = randomBank(rng, 2000, MIXES[rep % MIXES.length]!, 1);
    const sh = Float64Array.from({ length: bank.size }, () => (rng.next() < 0.2 ? 0 : 0.3 + 0.7 * rng.next()));
    const targets = contentTargets(bank.topics, { alg: 0.5, geo: 0.3, num: 0.2 });
    for (const base of options) {
      const option: SelectionOptions = {
        ...base,
        ...(base.sympsonHetter ? { sympsonHetter: sh } : {}),
        ...(base.contentTargets ? { contentTargets: targets } : {}),
      };
      const scratch = createSelectionScratch(bank, 5);
      for (let q = 0; q < 20; q++) {
        const theta = -4 + 8 * rng.next();
        const excluded = randomMask(rng, bank.size, 0.2);
        const seed = Math.floor(rng.next() * 2 ** 31);
        const a = selectItem(bank, theta, excluded, createRng(seed), { ...option, fullScan: true }, scratch);
        const b = selectItem(bank, theta, excluded, createRng(seed), option, scratch);
        compared++;
        if (JSON.stringify(a) !== JSON.stringify(b)) t.fail(`bank ${rep} options ${JSON.stringify(base)} theta ${theta}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
  }
  t.equal(compared, 14 * options.length * 20);
});

t.test('a CAT with enemies and item sets takes, at each step, the full scan\'s item', async (t) => {
  const rng = createRng(8);
  const bank = createItemBank(generateBank(1200, rng, { model: ['3PL', '4PL', 'GRM'], topics: TOPICS }));
  const enemies = Array.from({ length: 60 }, (_, g) => [bank.ids[g * 7]!, bank.ids[g * 7 + 3]!, bank.ids[(g * 131) % bank.size]!]).filter((group) => new Set(group).size > 1);
  const sets = Array.from({ length: 30 }, (_, s) => [bank.ids[900 + s * 3]!, bank.ids[901 + s * 3]!, bank.ids[902 + s * 3]!]);
  const setIndex = itemSetIndex(bank, sets);
  const engine = createCatEngine({ bank, enemies, itemSets: sets, randomesque: 3, contentTargets: { alg: 1, geo: 1, num: 1 }, stopping: { maxItems: 40 } });
  let checked = 0;
  for (let examinee = 0; examinee < 5; examinee++) {
    let session = engine.start();
    for (let step = 0; ; step++) {
      const last = session.items[session.items.length - 1];
      const fromSet = last !== undefined && pendingSetItem(setIndex, last, session.excluded) >= 0;
      const seed = examinee * 1000 + step;
      const next = engine.next(session, createRng(seed));
      if (next.done) break;
      if (!fromSet) {
        const full = selectItem(bank, session.theta, session.excluded, createRng(seed), {
          randomesque: 3,
          contentTargets: contentTargets(bank.topics, { alg: 1, geo: 1, num: 1 }),
          topicCounts: session.topicCounts,
          fullScan: true,
        });
        t.equal(next.item, full.index, `examinee ${examinee} step ${step}`);
        checked++;
      }
      session = engine.answer(next.session, next.item, rng.next() < 0.5 ? 0 : 1);
    }
  }
  t.ok(checked > 100, `${checked} steps compared`);
});

t.test('no bound is ever below an information it stands for', async (t) => {
  const rng = createRng(99);
  let violations = 0;
  let checks = 0;
  for (let k = 0; k < 3000; k++) {
    // Parameters well beyond generated banks: slopes 0.05 to 5, c up to 0.5, d down to c + 0.01.
    const a = 0.05 + 5 * rng.next() ** 2;
    const b = -4 + 8 * rng.next();
    const c = k % 4 === 0 ? 0 : 0.5 * rng.next();
    const d = k % 3 === 0 ? 1 : c + 0.01 + (1 - c - 0.01) * rng.next();
    const D = k % 2 === 0 ? 1 : 1.702;
    const s = D * a;
    const peak = dichotomousPeak(s, c, d);
    for (let q = 0; q < 40; q++) {
      const theta = -8 + 16 * rng.next();
      const info = dichotomousInformation(s, b, c, d, d - c, theta);
      const bound = regionBound(b, b, s, s, c / (d - c), (1 - d) / (d - c), peak, theta);
      // A region around the item, as buckets hold several.
      const wide = regionBound(b - 0.3, b + 0.2, s * 0.8, s * 1.1, (c * 0.5) / (d - c), (1 - d) / (d - c), peak, theta);
      checks++;
      if (!(info <= slack(bound) && info <= slack(wide) && info <= slack(peak))) {
        violations++;
        t.fail(`a ${a} b ${b} c ${c} d ${d} D ${D} theta ${theta}: info ${info} bound ${bound} wide ${wide} peak ${peak}`);
      }
    }
  }
  const polytomous = generateBank(600, rng, { model: ['GRM', 'PCM', 'GPCM', 'RSM', 'NRM'], categories: 6 });
  for (const item of polytomous) {
    const peak = polytomousPeak(item as PolytomousItem, 1.702);
    for (let theta = -8; theta <= 8; theta += 0.05) {
      checks++;
      const info = information(theta, item as PolytomousItem, 1.702);
      if (!(info <= slack(peak))) {
        violations++;
        t.fail(`${JSON.stringify(item)} theta ${theta}: info ${info} bound ${peak}`);
      }
    }
  }
  t.equal(violations, 0, `${checks} informations checked`);
});

t.test('the peak of a 3PL item is its information at the known peak ability', async (t) => {
  for (const [a, c] of [[1, 0.2], [1.7, 0.05], [0.6, 0.35]] as const) {
    const item = { a, b: 0.4, c, d: 1 };
    const top = item.b + Math.log((1 + Math.sqrt(1 + 8 * c)) / 2) / (1.702 * a);
    const exact = information(top, item, 1.702);
    const peak = dichotomousPeak(1.702 * a, c, 1);
    t.ok(peak >= exact && peak <= exact * (1 + 1e-6), `a ${a} c ${c}: ${peak} vs ${exact}`);
  }
});

t.test('on a 10 000-item bank the pruned scan evaluates a small share of the items', async (t) => {
  const rng = createRng(3);
  const bank = createItemBank(generateBank(10_000, createRng(1), { model: '4PL', topics: ['a', 'b', 'c', 'd'] }));
  const excluded = randomMask(rng, bank.size, 0.004);
  const full = createSelectionScratch(bank, 5);
  const pruned = createSelectionScratch(bank, 5);
  const calls = 200;
  for (let q = 0; q < calls; q++) {
    const theta = -3 + 6 * rng.next();
    collectMostInformative(bank, theta, excluded, -1, 1, full);
    collectMostInformativePruned(bank, theta, excluded, -1, 1, pruned);
  }
  t.equal(full.evaluated[0], calls * (bank.size - excluded.reduce((s, x) => s + x, 0)), 'the full scan evaluates every eligible item');
  t.ok(pruned.evaluated[0]! / calls < 200, `pruned: ${pruned.evaluated[0]! / calls} items per selection`);
});
