// The session API: one item at a time, never the same item twice, immutable states.

import t from 'tap';
import { bankItem, bankItems, createCatEngine, createItemBank, createRng, estimateAbility, generateBank, probability, randomInt } from '../src/index.js';
import type { CatSession } from '../src/index.js';

t.test('never the same item twice, until the bank runs out', async (t) => {
  const bank = createItemBank(generateBank(25, createRng(1), { topics: ['p', 'q'] }));
  for (const options of [{}, { randomesque: 4 }, { contentTargets: { p: 0.5, q: 0.5 } }]) {
    const engine = createCatEngine({ bank, ...options, stopping: { maxItems: 100 } });
    const rng = createRng(7);
    let session = engine.start();
    for (;;) {
      const step = engine.next(session, rng);
      if (step.done) {
        t.equal(step.reason, 'bank-exhausted', `${JSON.stringify(options)}: stops when nothing is left`);
        break;
      }
      t.notOk(step.session.items.includes(step.item), 'a new item');
      session = engine.answer(step.session, step.item, rng.next() < 0.5 ? 1 : 0);
    }
    t.equal(new Set(session.items).size, 25, 'all 25 items, each once');
    t.same(Array.from(session.topicCounts).reduce((a, b) => a + b, 0), 25);
  }
});

t.test('answer() refuses repeats and bad input, and leaves the old session untouched', async (t) => {
  const bank = createItemBank(generateBank(30, createRng(2)));
  const engine = createCatEngine({ bank, estimator: 'MAP', stopping: { maxItems: 10 } });
  const s0 = engine.start();
  t.equal(s0.theta, 0, 'starts at the prior mean');
  t.equal(s0.se, 1, 'MAP SE before data is the prior SD');
  const step = engine.next(s0, createRng(1));
  if (step.done) throw new Error('should not stop');
  const s1 = engine.answer(step.session, step.item, 1);
  t.same(s0.items, [], 'old session unchanged');
  t.equal(s0.excluded[step.item], 0);
  t.equal(s1.excluded[step.item], 1);
  t.ok(s1.theta > 0, 'a correct answer raises the estimate');
  t.throws(() => engine.answer(s1, step.item, 0), RangeError, 'repeat');
  t.throws(() => engine.answer(s1, 999, 0), RangeError, 'unknown item');
  t.throws(() => engine.answer(s1, 3, 2 as 0), RangeError, 'not dichotomous');
});

t.test('the first item is the most informative at the start value', async (t) => {
  const bank = createItemBank([{ b: -2 }, { b: 1.4 }, { b: 0.1 }, { b: 2 }]);
  const at = (startTheta: number): number => {
    const engine = createCatEngine({ bank, startTheta, stopping: { maxItems: 1 } });
    const step = engine.next(engine.start(), createRng(1));
    return step.done ? -1 : step.item;
  };
  t.equal(at(0), 2);
  t.equal(at(1.5), 1);
  t.equal(at(-3), 0);
});

t.test('Sympson-Hetter passes are remembered for the rest of the test', async (t) => {
  const bank = createItemBank(generateBank(50, createRng(4), { model: '2PL' }));
  const k = new Float64Array(50).fill(1);
  const engine0 = createCatEngine({ bank, stopping: { maxItems: 1 } });
  const first = engine0.next(engine0.start(), createRng(1));
  if (first.done) throw new Error('should not stop');
  k[first.item] = 0;
  const engine = createCatEngine({ bank, sympsonHetter: k, stopping: { maxItems: 50 } });
  const rng = createRng(2);
  let session: CatSession = engine.start();
  const step = engine.next(session, rng);
  if (step.done) throw new Error('should not stop');
  t.not(step.item, first.item);
  t.equal(step.session.excluded[first.item], 1, 'blocked for this examinee');
  session = engine.answer(step.session, step.item, 1);
  let given = false;
  for (;;) {
    const s = engine.next(session, rng);
    if (s.done) break;
    if (s.item === first.item) given = true;
    const p = probability(0, bankItem(bank, s.item));
    session = engine.answer(s.session, s.item, rng.next() < p ? 1 : 0);
  }
  t.notOk(given, 'K = 0 item never given');
  t.equal(session.items.length, 49, 'everything else was');
});

t.test('configuration errors surface early', async (t) => {
  const bank = createItemBank(generateBank(5, createRng(1), { topics: ['a'] }));
  t.throws(() => createCatEngine({ bank, sympsonHetter: [1, 1], stopping: {} }), RangeError);
  t.throws(() => createCatEngine({ bank, sympsonHetter: [1, 1, 1, 1, 2], stopping: {} }), RangeError);
  t.throws(() => createCatEngine({ bank, contentTargets: { b: 1 }, stopping: {} }), RangeError);
  t.throws(() => createCatEngine({ bank, stopping: { maxItems: 0 } }), RangeError);
  t.throws(() => createItemBank([{ id: 'x', b: 0 }, { id: 'x', b: 1 }]), RangeError, 'duplicate ids');
});

t.test('EAP extended answer by answer equals EAP from all answers, to the bit', async (t) => {
  const bank = createItemBank(generateBank(120, createRng(12), { model: ['3PL', 'GRM', 'GPCM', 'NRM'], categories: 4 }));
  const engine = createCatEngine({ bank, randomesque: 2, sympsonHetter: new Float64Array(120).fill(0.7), stopping: { maxItems: 25 } });
  const rng = createRng(3);
  let session = engine.start();
  let steps = 0;
  for (;;) {
    const step = engine.next(session, rng);
    if (step.done) break;
    session = engine.answer(step.session, step.item, randomInt(rng, bank.categories[step.item]!));
    const full = estimateAbility('EAP', bankItems(bank, session.items), session.responses);
    if (session.theta !== full.theta || session.se !== full.se) t.fail(`after ${session.items.length} answers: ${session.theta}/${session.se} vs ${full.theta}/${full.se}`);
    steps++;
  }
  t.equal(steps, 25, 'compared after each of 25 answers');
  // A session the engine did not make (e.g. rebuilt from storage) is estimated from all its answers.
  const rebuilt = { ...session, items: session.items.slice(0, 24), responses: session.responses.slice(0, 24) };
  const again = engine.answer(rebuilt, session.items[24]!, session.responses[24]!);
  t.equal(again.theta, session.theta);
  t.equal(again.se, session.se);
});
