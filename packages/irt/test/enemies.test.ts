// Enemy items: once one item of a group is given, no other of that group is chosen.

import t from 'tap';
import { createCatEngine, createItemBank, createRng, enemyIndex, excludeEnemies, generateBank, simulateExaminee } from '../src/index.js';
import type { SimulationReport } from '../src/index.js';
import { runSimulate } from '../src/cli/simulate.js';

const bank = createItemBank([
  { id: 'p', a: 2, b: 0 },
  { id: 'q', a: 1.9, b: 0.05 },
  { id: 'r', a: 1.2, b: 0 },
  { id: 's', model: 'GRM', a: 1.5, b: [-0.5, 0.5] },
  { id: 'u', a: 0.6, b: 1 },
]);

t.test('the index is symmetric, unions overlapping groups, and checks the ids', async (t) => {
  const index = enemyIndex(bank, [['p', 'q'], ['q', 's', 's']]);
  const of = (i: number): number[] => Array.from(index.list.subarray(index.start[i]!, index.start[i + 1]!));
  t.same(of(0), [1], 'p: q');
  t.same(of(1), [0, 3], 'q: p and s');
  t.same(of(3), [1], 's: q (named twice, counted once)');
  t.same(of(2), [], 'r: none');
  const excluded = new Uint8Array(bank.size);
  excludeEnemies(excluded, index, 1);
  t.same(Array.from(excluded), [1, 0, 0, 1, 0]);
  t.throws(() => enemyIndex(bank, [['p', 'zz']]), /unknown item zz/);
  t.throws(() => enemyIndex(bank, [['p', 'p']]), /at least two different items/);
});

t.test('in a CAT the enemy of an administered item is passed over', async (t) => {
  const plain = createCatEngine({ bank, stopping: { maxItems: 5 } });
  const withEnemies = createCatEngine({ bank, enemies: [['p', 'q']], stopping: { maxItems: 5 } });
  for (const engine of [plain, withEnemies]) {
    const first = engine.next(engine.start(), createRng(1));
    t.equal(first.done ? -1 : first.item, 0, 'p is the most informative item at 0');
  }
  const next = (engine: typeof plain): number => {
    const session = engine.answer(engine.start(), 0, 1);
    const step = engine.next({ ...session, theta: 0 }, createRng(1));
    return step.done ? -1 : step.item;
  };
  t.equal(next(plain), 1, 'without enemies q, the next most informative, follows');
  t.not(next(withEnemies), 1, 'with p and q enemies, q is never given after p');
  const session = withEnemies.answer(withEnemies.start(), 1, 0);
  t.equal(session.excluded[0], 1, 'answering q excludes p too');
});

t.test('simulated tests never hold two items of one group', async (t) => {
  const items = generateBank(120, createRng(8), { model: ['2PL', 'GPCM'] });
  const big = createItemBank(items);
  const groups = Array.from({ length: 40 }, (_, g) => [items[3 * g]!.id!, items[3 * g + 1]!.id!, items[3 * g + 2]!.id!]);
  const engine = createCatEngine({ bank: big, enemies: groups, stopping: { maxItems: 30 } });
  const rng = createRng(3);
  for (const theta of [-2, -0.5, 0, 0.8, 2.2]) {
    const result = simulateExaminee(engine, theta, rng);
    t.equal(result.length, 30);
    const perGroup = new Map<number, number>();
    for (const i of result.items) perGroup.set(Math.floor(i / 3), (perGroup.get(Math.floor(i / 3)) ?? 0) + 1);
    t.ok([...perGroup.values()].every((n) => n === 1), `theta ${theta}: one item per group at most`);
  }
});

t.test('the simulate command takes enemies from the bank file', async (t) => {
  const items = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, a: 1 + i / 10, b: 0 }));
  const files: Record<string, string> = {
    'ok.json': JSON.stringify({ items, enemies: [['e9', 'e8', 'e7', 'e6', 'e5']] }),
    'bad.json': JSON.stringify({ items, enemies: [['e1', 'nope']] }),
    'odd.json': JSON.stringify({ items, enemies: ['e1'] }),
  };
  const report = JSON.parse(runSimulate(['--bank', 'ok.json', '--examinees', '20', '--max-items', '6'], (p) => files[p]!)) as SimulationReport;
  const used = report.exposure.rates.slice(5).reduce((s, r) => s + r, 0);
  t.ok(Math.abs(used - 1) < 1e-12, `each examinee saw exactly one of e5..e9 (total rate ${used})`);
  t.throws(() => runSimulate(['--bank', 'bad.json'], (p) => files[p]!), /unknown item nope/);
  t.throws(() => runSimulate(['--bank', 'odd.json'], (p) => files[p]!), /arrays of item ids/);
});
