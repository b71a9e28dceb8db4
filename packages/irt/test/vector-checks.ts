// What the dichotomous and polytomous catR vector tests check in the same way: loading
// a vector file, ability estimates with their SEs (and the several-roots policy), a
// maximum-information and a content-balanced choice, and a whole CAT step by step.
// Not a test file itself.

import { readFileSync } from 'node:fs';
import type { Test } from 'tap';
import { bankItem, createCatEngine, createRng, estimateAbility, responseFromUniform, selectItem, standardError } from '../src/index.js';
import type { CatSession, EstimatorName, Item, ItemBank } from '../src/index.js';

export const TOL = 1e-4;

export function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T;
}

export type CatRMethod = 'ML' | 'BM' | 'WL' | 'EAP';
export const catrName: Record<CatRMethod, EstimatorName> = { ML: 'MLE', BM: 'MAP', WL: 'WLE', EAP: 'EAP' };

export interface EstValue {
  theta: number;
  se: number;
  thetaExact: number;
  seExact: number;
  /** Every root of catR's estimating equation in the range (ML, BM, WL; absent when an end is returned). */
  roots?: number[];
  /** The root with the highest objective, and its semTheta(). */
  bestRoot?: number;
  seBestRoot?: number;
}

export interface EstCase {
  name: string;
  D: number;
  prior: { mean: number; sd: number };
  range: [number, number];
  grid: { lower: number; upper: number; points: number };
  items: readonly Item[];
  responses: number[];
  estimates: Record<CatRMethod, EstValue>;
}

/**
 * Every estimator and its SE against thetaEst()/semTheta(); returns how many estimates
 * differ because catR's uniroot() stopped at a root that is not the maximum (the engine
 * returns the maximum, which R found by scanning catR's own equation).
 */
export function checkEstimates(t: Test, cases: readonly EstCase[]): number {
  let catrPickedAnotherRoot = 0;
  for (const c of cases) {
    const options = { D: c.D, prior: c.prior, range: c.range, grid: c.grid };
    for (const key of ['ML', 'BM', 'WL', 'EAP'] as const) {
      const ref = c.estimates[key];
      const method = catrName[key];
      const label = `${c.name} ${method}`;
      const est = estimateAbility(method, c.items, c.responses, options);
      t.ok(Number.isFinite(est.theta) && Number.isFinite(est.se), `${label}: finite`);
      // semTheta() at catR's own estimate isolates the SE formula from the estimate.
      const se = standardError(method, ref.thetaExact, c.items, c.responses, options);
      t.ok(Math.abs(se - ref.seExact) < TOL * Math.max(1, ref.seExact), `${label}: semTheta at catR's estimate`);
      if (ref.bestRoot !== undefined && Math.abs(ref.bestRoot - ref.thetaExact) > TOL) {
        catrPickedAnotherRoot++;
        t.ok(ref.roots?.some((r) => Math.abs(r - ref.thetaExact) < 1e-6), `${label}: catR's answer is one of the roots`);
        t.ok(Math.abs(est.theta - ref.bestRoot) < TOL, `${label}: theta ${est.theta} is the best root ${ref.bestRoot}`);
        t.ok(Math.abs(est.se - (ref.seBestRoot as number)) < TOL * Math.max(1, ref.se), `${label}: se at the best root`);
        continue;
      }
      t.ok(Math.abs(est.theta - ref.theta) < TOL, `${label}: theta ${est.theta} vs catR ${ref.theta}`);
      t.ok(Math.abs(est.theta - ref.thetaExact) < 1e-6, `${label}: theta vs catR with a tight uniroot`);
      t.ok(Math.abs(est.se - ref.se) < TOL * Math.max(1, ref.se), `${label}: se ${est.se} vs catR ${ref.se}`);
    }
  }
  return catrPickedAnotherRoot;
}

export interface MfiCase {
  theta: number;
  D: number;
  out: number[];
  item: number;
  info: number;
}

/** nextItem(criterion = "MFI") with `out` administered: catR's item and its information. */
export function checkMfi(t: Test, bank: ItemBank, c: MfiCase, label: string): void {
  const excluded = new Uint8Array(bank.size);
  for (const i of c.out) excluded[i] = 1;
  const r = selectItem(bank, c.theta, excluded, createRng(1));
  t.equal(r.index, c.item, `${label}theta ${c.theta}, D ${c.D}, ${c.out.length} out`);
  t.ok(Math.abs(r.information - c.info) < TOL, 'information of the chosen item');
}

export interface ContentBalancingCase {
  theta: number;
  D: number;
  out: number[];
  item: number;
  group: string;
}

/** nextItem(cbControl = ...) with `out` administered: the engine's next step picks catR's item and group. */
export function checkContentBalancing(t: Test, bank: ItemBank, targets: Record<string, number>, c: ContentBalancingCase): void {
  const excluded = new Uint8Array(bank.size);
  const topicCounts = new Int32Array(bank.topics.length);
  for (const i of c.out) {
    excluded[i] = 1;
    topicCounts[bank.topicOf[i] as number]! += 1;
  }
  const engine = createCatEngine({ bank, contentTargets: targets, stopping: { maxItems: bank.size } });
  const session: CatSession = { ...engine.start(), theta: c.theta, items: c.out, responses: c.out.map(() => 0), excluded, topicCounts };
  const step = engine.next(session, createRng(1));
  t.equal(step.done ? -1 : step.item, c.item, `theta ${c.theta}, out ${c.out.join(' ')}`);
  t.equal(step.done ? '' : bank.topics[bank.topicOf[step.item] as number], c.group, 'topic');
}

export interface CatRun {
  D: number;
  method: CatRMethod;
  trueTheta: number;
  startTheta: number;
  uniforms: number[];
  steps: { item: number; response: number; theta: number; se: number }[];
}

/** A whole CAT: catR's item at every step, the simulated answer, then its estimate and SE. */
export function checkCatRun(t: Test, bank: ItemBank, run: CatRun, label: string): void {
  const engine = createCatEngine({ bank, estimator: catrName[run.method], startTheta: run.startTheta, stopping: { maxItems: run.steps.length } });
  const rng = createRng(1);
  let session = engine.start();
  for (const [k, ref] of run.steps.entries()) {
    const step = engine.next(session, rng);
    t.equal(step.done ? -1 : step.item, ref.item, `${label}, step ${k + 1}: item`);
    if (step.done) return;
    const response = responseFromUniform(run.trueTheta, bankItem(bank, step.item), run.uniforms[k] as number, run.D);
    t.equal(response, ref.response, 'response');
    session = engine.answer(step.session, step.item, response);
    t.ok(Math.abs(session.theta - ref.theta) < TOL, `step ${k + 1}: theta ${session.theta} vs ${ref.theta}`);
    t.ok(Math.abs(session.se - ref.se) < TOL, `step ${k + 1}: se`);
  }
  t.equal(engine.next(session, rng).done, true, 'stops at the maximum length');
}
