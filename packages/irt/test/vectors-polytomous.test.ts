// Checks the polytomous models (GRM, PCM, GPCM, RSM, NRM) and mixed banks against
// reference values computed by catR (see vectors/generate-polytomous*.R).

import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  bankItem,
  categoryProbabilities,
  createCatEngine,
  createItemBank,
  createRng,
  estimateAbility,
  information,
  isPolytomous,
  probability,
  responseFromUniform,
  selectItem,
  standardError,
  toItem,
} from '../src/index.js';
import type { AnyItemInput, BankItemInput, CatSession, EstimatorName, Item, ItemBank } from '../src/index.js';

const TOL = 1e-4;

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

type CatRMethod = 'ML' | 'BM' | 'WL' | 'EAP';
const catrName: Record<CatRMethod, EstimatorName> = { ML: 'MLE', BM: 'MAP', WL: 'WLE', EAP: 'EAP' };

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
interface EstValue {
  theta: number;
  se: number;
  thetaExact: number;
  seExact: number;
  roots?: number[];
  bestRoot?: number;
  seBestRoot?: number;
}
interface EstCase {
  name: string;
  model: string;
  D: number;
  foldedReference: boolean;
  prior: { mean: number; sd: number };
  range: [number, number];
  grid: { lower: number; upper: number; points: number };
  /** As written by R: 2PL/1PL items without their default c, d (toItem() fills them in). */
  items: AnyItemInput[];
  responses: number[];
  estimates: Record<CatRMethod, EstValue>;
}
interface SelCase {
  bank: string;
  theta: number;
  D: number;
  out: number[];
  item: number;
  info: number;
  group?: string;
}
interface SelectionFile {
  banks: Record<string, { model: string; items: BankItemInput[] }>;
  contentTargets: Record<string, number>;
  mfi: SelCase[];
  contentBalancing: (Omit<SelCase, 'bank'> & { group: string })[];
  randomesque: { bank: string; theta: number; D: number; k: number; top: number[] }[];
}
interface CatRun {
  bank: string;
  D: number;
  method: CatRMethod;
  trueTheta: number;
  startTheta: number;
  uniforms: number[];
  steps: { item: number; response: number; theta: number; se: number }[];
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
  const { cases } = load<{ cases: EstCase[] }>('polytomous-estimators.json');
  t.ok(cases.length >= 30, 'enough cases');
  t.ok(cases.some((c) => c.items.some((i) => !isPolytomous(i)) && c.items.some((i) => isPolytomous(i))), 'mixed banks are covered');
  let catrPickedAnotherRoot = 0;
  for (const c of cases) {
    const options = { D: c.D, prior: c.prior, range: c.range, grid: c.grid };
    const items = c.items.map(toItem);
    for (const key of ['ML', 'BM', 'WL', 'EAP'] as const) {
      const ref = c.estimates[key];
      const method = catrName[key];
      const label = `${c.name} ${method}`;
      const est = estimateAbility(method, items, c.responses, options);
      const se = standardError(method, ref.thetaExact, items, c.responses, options);
      t.ok(Math.abs(se - ref.seExact) < TOL * Math.max(1, ref.seExact), `${label}: semTheta at catR's estimate`);
      if (ref.bestRoot !== undefined && Math.abs(ref.bestRoot - ref.thetaExact) > TOL) {
        catrPickedAnotherRoot++;
        t.ok(Math.abs(est.theta - ref.bestRoot) < TOL, `${label}: theta ${est.theta} is the best root ${ref.bestRoot}`);
        continue;
      }
      t.ok(Math.abs(est.theta - ref.theta) < TOL, `${label}: theta ${est.theta} vs catR ${ref.theta}`);
      t.ok(Math.abs(est.theta - ref.thetaExact) < 1e-6, `${label}: theta vs catR with a tight uniroot`);
      t.ok(Math.abs(est.se - ref.se) < TOL * Math.max(1, ref.se), `${label}: se ${est.se} vs catR ${ref.se}`);
    }
  }
  t.equal(catrPickedAnotherRoot, 0, 'no polytomous case has several roots');
});

t.test('item choice matches catR nextItem(criterion = "MFI") on polytomous and mixed banks', async (t) => {
  t.same([...new Set(sel.mfi.map((c) => sel.banks[c.bank]!.model))].sort(), ['GPCM', 'GRM', 'NRM', 'PCM', 'RSM'], 'every model');
  t.ok(sel.mfi.length >= 300, 'enough cases');
  for (const c of sel.mfi) {
    const bank = bankOf(c.bank, c.D);
    const excluded = new Uint8Array(bank.size);
    for (const i of c.out) excluded[i] = 1;
    const r = selectItem(bank, c.theta, excluded, createRng(1));
    t.equal(r.index, c.item, `${c.bank} theta ${c.theta}, D ${c.D}, ${c.out.length} out`);
    t.ok(Math.abs(r.information - c.info) < TOL, 'information of the chosen item');
  }
});

t.test('content-balanced choice matches catR nextItem(cbControl = ...) on a mixed GRM bank', async (t) => {
  t.ok(sel.contentBalancing.length >= 15, 'enough cases');
  for (const c of sel.contentBalancing) {
    const bank = bankOf('GRMcb', c.D);
    const excluded = new Uint8Array(bank.size);
    const topicCounts = new Int32Array(bank.topics.length);
    for (const i of c.out) {
      excluded[i] = 1;
      topicCounts[bank.topicOf[i] as number]! += 1;
    }
    const engine = createCatEngine({ bank, contentTargets: sel.contentTargets, stopping: { maxItems: 100 } });
    const session: CatSession = { ...engine.start(), theta: c.theta, items: c.out, responses: c.out.map(() => 0), excluded, topicCounts };
    const step = engine.next(session, createRng(1));
    t.equal(step.done ? -1 : step.item, c.item, `theta ${c.theta}, out ${c.out.join(' ')}`);
    t.equal(step.done ? '' : bank.topics[bank.topicOf[step.item] as number], c.group, 'topic');
  }
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
  const { runs } = load<{ runs: CatRun[] }>('polytomous-cat-runs.json');
  t.ok(runs.length >= 5, 'enough runs');
  for (const run of runs) {
    const bank = bankOf(run.bank, run.D);
    const engine = createCatEngine({ bank, estimator: catrName[run.method], startTheta: run.startTheta, stopping: { maxItems: run.steps.length } });
    const rng = createRng(1);
    let session = engine.start();
    for (const [k, ref] of run.steps.entries()) {
      const step = engine.next(session, rng);
      t.equal(step.done ? -1 : step.item, ref.item, `${run.bank} ${run.method} run, step ${k + 1}: item`);
      if (step.done) break;
      const response = responseFromUniform(run.trueTheta, bankItem(bank, step.item), run.uniforms[k]!, run.D);
      t.equal(response, ref.response, 'response');
      session = engine.answer(step.session, step.item, response);
      t.ok(Math.abs(session.theta - ref.theta) < TOL, `step ${k + 1}: theta ${session.theta} vs ${ref.theta}`);
      t.ok(Math.abs(session.se - ref.se) < TOL, `step ${k + 1}: se`);
    }
    t.equal(engine.next(session, rng).done, true, 'stops at the maximum length');
  }
});
