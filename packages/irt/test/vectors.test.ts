// Checks the engine against reference values computed by catR (see vectors/generate.R);
// the JSON files are committed so this needs no R at test time.

import t from 'tap';
import { createCatEngine, createItemBank, createRng, information, probability, selectItem } from '../src/index.js';
import type { ItemParams } from '../src/index.js';
import { checkCatRun, checkContentBalancing, checkEstimates, checkMfi, load, TOL } from './vector-checks.js';
import type { CatRun, ContentBalancingCase, EstCase, MfiCase } from './vector-checks.js';

interface ProbCase {
  item: ItemParams;
  D: number;
  theta: number[];
  p: number[];
  info: number[];
}
interface SelectionFile {
  bank: (ItemParams & { topic: string })[];
  contentTargets: Record<string, number>;
  mfi: MfiCase[];
  contentBalancing: ContentBalancingCase[];
}

t.test('probability and information match catR Pi() and Ii()', async (t) => {
  const { cases } = load<{ cases: ProbCase[] }>('probability-information.json');
  t.ok(cases.length >= 30, 'enough cases');
  let checked = 0;
  let worst = 0;
  for (const c of cases) {
    c.theta.forEach((theta, k) => {
      const dp = Math.abs(probability(theta, c.item, c.D) - (c.p[k] as number));
      const di = Math.abs(information(theta, c.item, c.D) - (c.info[k] as number));
      worst = Math.max(worst, dp, di);
      checked++;
    });
  }
  t.ok(worst < TOL, `max abs difference ${worst.toExponential(2)} over ${checked} points`);
});

t.test('ability estimates and standard errors match catR thetaEst() and semTheta()', async (t) => {
  const { cases } = load<{ cases: EstCase[] }>('estimators.json');
  t.ok(cases.length >= 20, 'enough cases');
  const catrPickedAnotherRoot = checkEstimates(t, cases);
  // Known: one aberrant 4PL pattern whose WLE equation has three roots (see generate.R).
  t.equal(catrPickedAnotherRoot, 1, 'catR and the engine differ only where catR stops at a lesser root');
});

t.test('item choice matches catR nextItem(criterion = "MFI")', async (t) => {
  const sel = load<SelectionFile>('selection.json');
  t.ok(sel.mfi.length >= 40, 'enough MFI cases');
  for (const c of sel.mfi) checkMfi(t, createItemBank(sel.bank, { D: c.D }), c, '');
});

t.test('content-balanced choice matches catR nextItem(cbControl = ...)', async (t) => {
  const sel = load<SelectionFile>('selection.json');
  t.ok(sel.contentBalancing.length >= 20, 'enough content-balancing cases');
  for (const c of sel.contentBalancing) checkContentBalancing(t, createItemBank(sel.bank, { D: c.D }), sel.contentTargets, c);
});

t.test('a whole CAT (MFI + estimator after each answer) follows catR step by step', async (t) => {
  const sel = load<SelectionFile>('selection.json');
  const { runs } = load<{ runs: CatRun[] }>('cat-runs.json');
  for (const run of runs) checkCatRun(t, createItemBank(sel.bank, { D: run.D }), run, `${run.method} run`);
});

t.test("catR's nextItem() help-page examples give the documented items", async (t) => {
  // catR manual, nextItem(), "Dichotomous models" examples on the tcals bank, D = 1.
  // The manual numbers items from 1; the engine from 0.
  const sel = load<SelectionFile>('selection.json');
  const bank = createItemBank(sel.bank);
  const pick = (out: number[], options = {}): number => {
    const excluded = new Uint8Array(bank.size);
    for (const i of out) excluded[i - 1] = 1;
    return selectItem(bank, 0, excluded, createRng(3), options).index + 1;
  };
  t.equal(pick([]), 63, 'nextItem(bank, theta = 0): item 63');
  t.equal(pick([63]), 10, 'out = 63: item 10');
  t.equal(pick([63, 10]), 62, 'out = c(63, 10): item 62');
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) {
    seen.add(selectItem(bank, 0, new Uint8Array(bank.size), createRng(i), { randomesque: 3 }).index + 1);
  }
  t.same([...seen].sort((a, b) => a - b), [10, 62, 63], 'randomesque = 3: "either 10, 62 or 63"');
  // Content balancing: items 12, 33, 46, 63 cover every group but Written3.
  const engine = createCatEngine({ bank, contentTargets: sel.contentTargets, stopping: { maxItems: 85 } });
  let session = engine.start();
  for (const item of [12, 33, 46, 63]) session = engine.answer(session, item - 1, 1);
  const step = engine.next({ ...session, theta: 0 }, createRng(1));
  t.equal(step.done ? -1 : step.item + 1, 70, 'cbControl example: item 70');
});
