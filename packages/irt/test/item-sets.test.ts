// Item sets: once an item of a set is chosen, the set's other items follow in order.

import t from 'tap';
import { createCatEngine, createItemBank, createRng, generateBank, itemSetIndex, simulateExaminee } from '../src/index.js';
import type { CatEngine, SimulationReport } from '../src/index.js';
import { runSimulate } from '../src/cli/simulate.js';

// At theta 0: x is the most informative item, y and z (hard, flat) the least.
const bank = createItemBank([
  { id: 'x', a: 2.2, b: 0 },
  { id: 'y', a: 0.4, b: 3 },
  { id: 'z', model: 'GPCM', a: 0.3, delta: [2.5, 3.5] },
  { id: 'g1', a: 1.8, b: 0.1 },
  { id: 'g2', a: 1.7, b: -0.1 },
  { id: 'g3', a: 1.6, b: 0.2 },
]);

/** Items a CAT gives when every answer is 1 and theta is held at 0. */
function order(engine: CatEngine): number[] {
  let session = engine.start();
  for (;;) {
    const step = engine.next({ ...session, theta: 0 }, createRng(1));
    if (step.done) return step.session.items.slice();
    session = engine.answer(step.session, step.item, 1);
  }
}

t.test('the index checks the ids and that an item sits in one set', async (t) => {
  t.same(Array.from(itemSetIndex(bank, [['y', 'x'], ['z', 'g1']]).setOf), [0, 0, 1, 1, -1, -1]);
  t.throws(() => itemSetIndex(bank, [['x', 'nope']]), /unknown item nope/);
  t.throws(() => itemSetIndex(bank, [['x', 'y'], ['y', 'z']]), /item y is in more than one item set/);
  t.throws(() => itemSetIndex(bank, [['x']]), /at least two items/);
});

t.test("a set's items follow its first one, in the order listed", async (t) => {
  t.same(order(createCatEngine({ bank, stopping: { maxItems: 6 } })), [0, 3, 4, 5, 2, 1], 'without sets: by information');
  t.same(order(createCatEngine({ bank, itemSets: [['x', 'y', 'z']], stopping: { maxItems: 6 } })), [0, 1, 2, 3, 4, 5], 'x, then y and z');
  t.same(order(createCatEngine({ bank, itemSets: [['z', 'y', 'g2']], stopping: { maxItems: 6 } })), [0, 3, 4, 2, 1, 5], 'entered at g2: z and y follow');
  t.same(
    order(createCatEngine({ bank, itemSets: [['x', 'y', 'z']], enemies: [['y', 'g3']], stopping: { maxItems: 6 } })),
    [0, 1, 2, 3, 4],
    'an enemy of a set item is passed over as usual',
  );
  t.same(
    order(createCatEngine({ bank, itemSets: [['x', 'y', 'z']], enemies: [['x', 'y']], stopping: { maxItems: 6 } })),
    [0, 2, 3, 4, 5],
    'a set item excluded by an enemy is skipped',
  );
  t.same(order(createCatEngine({ bank, itemSets: [['x', 'y', 'z']], stopping: { maxItems: 2 } })), [0, 1], 'the length rule can cut a set');
});

t.test('simulated tests give every set whole and in one run', async (t) => {
  const items = generateBank(90, createRng(6), { model: ['3PL', 'GRM'] });
  const sets = Array.from({ length: 15 }, (_, s) => items.slice(6 * s, 6 * s + 3).map((it) => it.id!));
  const engine = createCatEngine({ bank: createItemBank(items), itemSets: sets, stopping: { maxItems: 40 } });
  const rng = createRng(2);
  for (const theta of [-1.5, 0, 1.5]) {
    const { items: given } = simulateExaminee(engine, theta, rng);
    const used = [...new Set(given.filter((i) => i % 6 < 3).map((i) => Math.floor(i / 6)))];
    t.ok(used.length >= 2, `theta ${theta}: sets were used (${used.join(' ')})`);
    for (const set of used) {
      const members = [6 * set, 6 * set + 1, 6 * set + 2];
      const at = given.findIndex((i) => members.includes(i));
      const block = given.slice(at, at + 3);
      // Only the maximum length may cut a set short, at the very end of the test.
      const whole = at + 3 <= given.length;
      t.same([...block].sort((a, b) => a - b), whole ? members : members.filter((m) => block.includes(m)), `set ${set}: consecutive`);
      t.ok(whole || given.length === 40, 'whole unless the test ended');
      t.same(block.slice(1), members.filter((m) => m !== block[0]).slice(0, block.length - 1), 'after the first, in the order listed');
    }
  }
});

t.test('the simulate command takes sets from the bank file', async (t) => {
  // s0, s5, s10 are the most informative items around 0, so their set opens most tests
  // and is never cut by the length rule; s3 and s4 are the flattest.
  const items = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, a: i % 5 === 0 ? 2.5 : 0.8 + (i % 3) / 10, b: -1.5 + i / 4 }));
  const files: Record<string, string> = {
    'ok.json': JSON.stringify({ items, sets: [['s0', 's5', 's10'], ['s3', 's4']] }),
    'none.json': JSON.stringify({ items }),
    'bad.json': JSON.stringify({ items, sets: [['s0', 's0']] }),
  };
  const args = ['--examinees', '40', '--max-items', '6'];
  const rates = (file: string): readonly number[] => (JSON.parse(runSimulate(['--bank', file, ...args], (p) => files[p]!)) as SimulationReport).exposure.rates;
  const r = rates('ok.json');
  t.ok(r[0]! > 0.9 && r[0] === r[5] && r[5] === r[10], `a set's items are given together (${r[0]}, ${r[5]}, ${r[10]})`);
  const free = rates('none.json');
  t.ok(!(free[0] === free[5] && free[5] === free[10]), `without the set they are not (${free[0]}, ${free[5]}, ${free[10]})`);
  t.throws(() => runSimulate(['--bank', 'bad.json'], (p) => files[p]!), /more than one item set/);
});
