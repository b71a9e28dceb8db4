// Stopping rules alone and inside a running CAT: the minimum always holds, then any
// satisfied rule ends the test.

import t from 'tap';
import {
  bankItem,
  classify,
  createCatEngine,
  createItemBank,
  createRng,
  generateBank,
  normalQuantile,
  responseFromUniform,
  simulateCats,
  stopReason,
  validateStoppingRules,
} from '../src/index.js';
import type { CatStep } from '../src/index.js';

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

t.test('normalQuantile agrees with R qnorm()', async (t) => {
  // qnorm() values printed by R 4.2.2 with %.17g.
  const r: [number, number][] = [
    [0.975, 1.9599639845400536],
    [0.995, 2.5758293035488999],
    [0.5, 0],
    [0.3, -0.52440051270804067],
    [0.02425, -1.9729610513118845],
    [1e-10, -6.3613409024040557],
    [1e-30, -11.464024688443617],
    [1 - 1e-12, 7.0344869100478356],
  ];
  for (const [p, z] of r) t.ok(Math.abs(normalQuantile(p) - z) < 1e-14 * Math.max(1, Math.abs(z)), `p = ${p}`);
  t.throws(() => normalQuantile(0), RangeError);
  t.throws(() => normalQuantile(1), RangeError);
});

t.test("classification: catR's interval theta ± z(1 - alpha/2) SE against the cut", async (t) => {
  // z(0.975) = 1.96: the 95% interval of 1 ± 0.2 is [0.608, 1.392].
  t.equal(classify({ cut: 0.5 }, 1, 0.2), 'above');
  t.equal(classify({ cut: 1.4 }, 1, 0.2), 'below');
  t.equal(classify({ cut: 1.3 }, 1, 0.2), 'undecided', 'the cut inside the interval');
  t.equal(classify({ cut: 0.61 }, 1, 0.2), 'undecided');
  t.equal(classify({ cut: 0.6 }, 1, 0.2), 'above');
  // alpha = 0.32: z = 0.994, the interval of 1 ± 0.5 is [0.503, 1.497].
  t.equal(classify({ cut: 0.5, alpha: 0.32 }, 1, 0.5), 'above', 'a wider alpha narrows the interval');
  t.equal(classify({ cut: 0.5 }, 1, 0.5), 'undecided', 'the default 95% interval still holds 0.5');
  t.equal(classify({ cut: 3 }, 0, Infinity), 'undecided', 'no information, no decision');
});

t.test('classification stops the test, after the minimum length and at least one answer', async (t) => {
  const rules = { minItems: 3, classification: { cut: 0.5 } };
  t.equal(stopReason(rules, { itemsAdministered: 5, theta: 1, se: 0.2 }), 'classification', 'above');
  t.equal(stopReason(rules, { itemsAdministered: 5, theta: 0, se: 0.2 }), 'classification', 'below');
  t.equal(stopReason(rules, { itemsAdministered: 5, theta: 0.6, se: 0.2 }), null, 'undecided goes on');
  t.equal(stopReason(rules, { itemsAdministered: 2, theta: 3, se: 0.1 }), null, 'minimum length first');
  t.equal(stopReason({ classification: { cut: 2.5 } }, { itemsAdministered: 0, theta: 0, se: 1 }), null, 'the prior alone never classifies');
  t.throws(() => stopReason(rules, { itemsAdministered: 5, se: 0.2 }), /needs the current theta/);
});

t.test('classification with the length and SE rules', async (t) => {
  const rules = { maxItems: 20, seTarget: 0.25, classification: { cut: 0 } };
  t.equal(stopReason(rules, { itemsAdministered: 20, theta: 1, se: 0.3 }), 'classification', 'a decided side is named first');
  t.equal(stopReason(rules, { itemsAdministered: 20, theta: 0.1, se: 0.3 }), 'max-items', 'undecided: the length rule ends it');
  t.equal(stopReason(rules, { itemsAdministered: 8, theta: 0.1, se: 0.25 }), 'se-target', 'undecided: the SE rule ends it');
  t.equal(stopReason(rules, { itemsAdministered: 8, theta: 0.1, se: 0.3 }), null);
  t.throws(() => validateStoppingRules({ classification: { cut: Number.NaN } }), RangeError);
  t.throws(() => validateStoppingRules({ classification: { cut: 0, alpha: 0 } }), RangeError);
  t.throws(() => validateStoppingRules({ classification: { cut: 0, alpha: 1 } }), RangeError);
});

t.test('in a CAT: the final step reports the side of the cut', async (t) => {
  const bank = createItemBank(generateBank(300, createRng(5), { model: '2PL' }));
  const engine = createCatEngine({ bank, stopping: { minItems: 3, maxItems: 40, classification: { cut: 0.5 } } });
  const sides: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  for (const [n, trueTheta] of [-2, -1, 0.4, 0.5, 0.6, 1.5, 2.5].entries()) {
    const rng = createRng(100 + n);
    let session = engine.start();
    let step: CatStep;
    for (;;) {
      step = engine.next(session, rng);
      if (step.done) break;
      session = engine.answer(step.session, step.item, responseFromUniform(trueTheta, bankItem(bank, step.item), rng.next()));
    }
    const { theta, se } = step.session;
    const lower = theta - 1.959963984540054 * se;
    const upper = theta + 1.959963984540054 * se;
    sides[step.classification!] = (sides[step.classification!] ?? 0) + 1;
    reasons[step.reason] = (reasons[step.reason] ?? 0) + 1;
    if (step.reason === 'classification') {
      t.ok(lower >= 0.5 || upper <= 0.5, `theta ${trueTheta}: the interval [${lower}, ${upper}] lies on one side`);
      t.equal(step.classification, lower >= 0.5 ? 'above' : 'below');
      t.ok(step.session.items.length >= 3, 'minimum length');
    } else {
      t.equal(step.reason, 'max-items');
      t.equal(step.classification, 'undecided', 'undecided at the maximum length');
      t.ok(lower < 0.5 && upper > 0.5);
    }
  }
  t.ok((sides.above ?? 0) >= 2 && (sides.below ?? 0) >= 2, `far abilities are classified: ${JSON.stringify(sides)}`);
  t.ok((reasons.classification ?? 0) >= 4 && (reasons['max-items'] ?? 0) >= 1, `both endings occur: ${JSON.stringify(reasons)}`);
  const plain = createCatEngine({ bank, stopping: { maxItems: 2 } });
  const end = plain.next({ ...plain.start(), items: [0, 1], responses: [1, 0] }, createRng(1));
  t.equal(end.done && end.classification, undefined, 'no classification rule, no classification');
});
