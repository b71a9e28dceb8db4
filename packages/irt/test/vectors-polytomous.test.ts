// Checks the polytomous models (GRM, PCM, GPCM, RSM, NRM) and mixed banks against
// reference values computed by catR (see vectors/generate-polytomous*.R).

import t from 'tap';
import { categoryProbabilities, createItemBank, createRng, information, isPolytomous, probability, selectItem, toItem } from '../src/index.js';
import type { AnyItemInput, BankItemInput, Item, ItemBank } from '../src/index.js';
import { checkCatRun, checkContentBalancing, checkEstimates, checkMfi, load, TOL } from './vector-checks.js';
import type { CatRun, ContentBalancingCase, EstCase, MfiCase } from './vector-checks.js';

interface ProbCase {
  model: string;
  D: number;
  catR: number[];
  item: Item;
  theta: number[];
  p: number[][];
  info: number[];
  /** catR's own Ii() where it leaves D out of the PCM/GPCM/RSM derivatives. */
  infoCatR?: number[];
}
/** As written by R: 2PL/1PL items without their default c, d (toItem() fills them in). */
type PolyEstCase = Omit<EstCase, 'items'> & { model: string; foldedReference: boolean; items: AnyItemInput[] };
interface SelectionFile {
  banks: Record<string, { model: string; items: BankItemInput[] }>;
  contentTargets: Record<string, number>;
  mfi: (MfiCase & { bank: string })[];
  contentBalancing: ContentBalancingCase[];
  randomesque: { bank: string; theta: number; D: number; k: number; top: number[] }[];
}

const sel = load<SelectionFile>('polytomous-selection.json');
const banks = new Map<string, ItemBank>();
function bankOf(name: string, D: number): ItemBank {
  const key = `${name}@${D}`;
  let bank = banks.get(key);
  if (!bank) {
    bank = createItemBank(sel.banks[name]!.items, { D });
    banks.set(key, bank);
  }
  return bank;
}

t.test('category probabilities and information match catR Pi() and Ii()', async (t) => {
  const { cases } = load<{ cases: ProbCase[] }>('polytomous-probability-information.json');
  t.same([...new Set(cases.map((c) => c.model))].sort(), ['GPCM', 'GRM', 'NRM', 'PCM', 'RSM'], 'every model');
  let worst = 0;
  let points = 0;
  for (const c of cases) {
    c.theta.forEach((theta, k) => {
      const ref = c.p[k]!;
      const p = categoryProbabilities(theta, c.item, c.D);
      t.equal(p.length, ref.length, `${c.model} ${c.catR.join(' ')}: categories`);
      ref.forEach((v, j) => {
        worst = Math.max(worst, Math.abs((p[j] as number) - v), Math.abs(probability(theta, c.item, c.D, j) - v));
      });
      worst = Math.max(worst, Math.abs(information(theta, c.item, c.D) - c.info[k]!));
      points++;
    });
  }
  t.ok(points >= 500, `${points} points`);
  t.ok(worst < TOL, `max abs difference ${worst.toExponential(2)}`);
});

t.test("with D != 1 catR's PCM/GPCM/RSM information lacks the factor D^2 (documented difference)", async (t) => {
  const { cases } = load<{ cases: ProbCase[] }>('polytomous-probability-information.json');
  const odd = cases.filter((c) => c.infoCatR);
  t.ok(odd.length >= 10, 'PCM, GPCM and RSM cases with D = 1.702');
  for (const c of odd) {
    c.theta.forEach((theta, k) => {
      const engine = information(theta, c.item, c.D);
      t.ok(Math.abs(engine - c.D * c.D * c.infoCatR![k]!) < TOL * Math.max(1, engine), `${c.model} theta ${theta}`);
    });
  }
});

t.test('ability estimates and SEs match catR thetaEst() and semTheta() on polytomous and mixed patterns', async (t) => {
  const { cases } = load<{ cases: PolyEstCase[] }>('polytomous-estimators.json');
  t.ok(cases.length >= 30, 'enough cases');
  t.ok(cases.some((c) => c.items.some((i) => !isPolytomous(i)) && c.items.some((i) => isPolytomous(i))), 'mixed banks are covered');
  const catrPickedAnotherRoot = checkEstimates(t, cases.map((c) => ({ ...c, items: c.items.map(toItem) })));
  t.equal(catrPickedAnotherRoot, 0, 'no polytomous case has several roots');
});

t.test('item choice matches catR nextItem(criterion = "MFI") on polytomous and mixed banks', async (t) => {
  t.same([...new Set(sel.mfi.map((c) => sel.banks[c.bank]!.model))].sort(), ['GPCM', 'GRM', 'NRM', 'PCM', 'RSM'], 'every model');
  t.ok(sel.mfi.length >= 300, 'enough cases');
  for (const c of sel.mfi) checkMfi(t, bankOf(c.bank, c.D), c, `${c.bank} `);
});

t.test('content-balanced choice matches catR nextItem(cbControl = ...) on a mixed GRM bank', async (t) => {
  t.ok(sel.contentBalancing.length >= 15, 'enough cases');
  for (const c of sel.contentBalancing) checkContentBalancing(t, bankOf('GRMcb', c.D), sel.contentTargets, c);
});

t.test("randomesque draws among catR's k most informative items", async (t) => {
  t.ok(sel.randomesque.length >= 4, 'enough cases');
  for (const c of sel.randomesque) {
    const bank = bankOf(c.bank, c.D);
    const seen = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      seen.add(selectItem(bank, c.theta, new Uint8Array(bank.size), createRng(seed), { randomesque: c.k }).index);
    }
    t.same([...seen].sort((a, b) => a - b), c.top, `${c.bank} theta ${c.theta}`);
  }
});

t.test('whole CATs on polytomous and mixed banks follow catR step by step', async (t) => {
  const { runs } = load<{ runs: (CatRun & { bank: string })[] }>('polytomous-cat-runs.json');
  t.ok(runs.length >= 5, 'enough runs');
  for (const run of runs) checkCatRun(t, bankOf(run.bank, run.D), run, `${run.bank} ${run.method} run`);
});
