// Stopping rules alone and inside a running CAT: the minimum always holds, then any
// satisfied rule ends the test.

import t from 'tap';
import { createCatEngine, createItemBank, createRng, generateBank, simulateCats, stopReason, validateStoppingRules } from '../src/index.js';

t.test('stopReason combines the rules', async (t) => {
  const rules = { minItems: 5, maxItems: 20, seTarget: 0.3, timeLimitMs: 60_000 };
  t.equal(stopReason(rules, { itemsAdministered: 4, se: 0.1, elapsedMs: 1e9 }), null, 'minimum always respected');
  t.equal(stopReason(rules, { itemsAdministered: 5, se: 0.31, elapsedMs: 0 }), null);
  t.equal(stopReason(rules, { itemsAdministered: 5, se: 0.3, elapsedMs: 0 }), 'se-target', 'SE at the target stops');
  t.equal(stopReason(rules, { itemsAdministered: 7, se: 0.5, elapsedMs: 60_000 }), 'time-limit');
  t.equal(stopReason(rules, { itemsAdministered: 20, se: 0.5, elapsedMs: 0 }), 'max-items');
  t.equal(stopReason({}, { itemsAdministered: 500, se: 0 }), null, 'no rule, no stop');
  t.equal(stopReason({ seTarget: 0.3 }, { itemsAdministered: 0, se: Infinity }), null, 'an infinite SE never satisfies');
});

t.test('invalid rules are rejected', async (t) => {
  t.throws(() => validateStoppingRules({ minItems: 10, maxItems: 5 }), RangeError);
  t.throws(() => validateStoppingRules({ maxItems: 0 }), RangeError);
  t.throws(() => validateStoppingRules({ seTarget: 0 }), RangeError);
  t.throws(() => validateStoppingRules({ minItems: 1.5 }), RangeError);
  t.throws(() => validateStoppingRules({ timeLimitMs: -1 }), RangeError);
  t.doesNotThrow(() => validateStoppingRules({ minItems: 3, maxItems: 3 }));
});

t.test('in a CAT: SE target, minimum and maximum length', async (t) => {
  const bank = createItemBank(generateBank(400, createRng(2), { model: '2PL' }));
  const thetas = Array.from({ length: 80 }, (_, i) => -2 + (4 * i) / 79);
  const se = simulateCats({ bank, stopping: { seTarget: 0.35, maxItems: 60 } }, thetas, { seed: 1 });
  t.ok((se.stopReasons['se-target'] ?? 0) > 70, 'most tests reach the SE target');
  t.ok(se.overall.meanSe <= 0.36, `mean final SE ${se.overall.meanSe}`);
  t.ok(se.overall.minLength < 15, `short tests exist (${se.overall.minLength})`);
  const withMin = simulateCats({ bank, stopping: { seTarget: 0.35, minItems: 15, maxItems: 60 } }, thetas, { seed: 1 });
  t.equal(withMin.overall.minLength, 15, 'the minimum length holds even when the SE is already small');
  const capped = simulateCats({ bank, stopping: { seTarget: 0.05, maxItems: 12 } }, thetas, { seed: 1 });
  t.same(capped.stopReasons, { 'max-items': 80 }, 'an unreachable SE stops at the maximum');
  t.equal(capped.overall.maxLength, 12);
});

t.test('in a CAT: time limit', async (t) => {
  const bank = createItemBank(generateBank(200, createRng(3)));
  const report = simulateCats({ bank, stopping: { minItems: 3, timeLimitMs: 100_000, maxItems: 50 } }, [0, 1], {
    seed: 1,
    msPerItem: 9_000,
  });
  // After 12 items 108 s have passed (> 100 s); after 11 only 99 s.
  t.same(report.lengthDistribution, { 12: 2 });
  t.same(report.stopReasons, { 'time-limit': 2 });
  const engine = createCatEngine({ bank, stopping: { minItems: 3, timeLimitMs: 1 } });
  const step = engine.next(engine.start(), createRng(1), 10_000);
  t.equal(step.done, false, 'the time limit waits for the minimum length');
});
