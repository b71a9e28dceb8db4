// Online calibration of GRM and GPCM pretest items over uncertain abilities: the
// derivatives it climbs on against finite differences, parameter recovery with honest
// SEs in simulation, and defined answers for thin data.

import t from 'tap';
import { calibratePolytomousItem, categoryProbabilities, createRng, randomNormal } from '../src/index.js';
import type { GeneralizedPartialCreditItem, GradedResponseItem, PolytomousCalibrationResponse, Rng } from '../src/index.js';
import { createNodeTerms, dichotomousTerms, gradedTerms, partialCreditTerms, type NodeTermsFn } from '../src/calibration-terms.js';

t.test('score and Hessian of log P in the item parameters equal central finite differences of log P', async (t) => {
  const cases: Array<[string, NodeTermsFn, number[], number]> = [
    ['3PL', dichotomousTerms, [1.4, 0.3, 0.2], 2],
    ['GRM', gradedTerms, [1.3, -1, 0.2, 1.1], 4],
    ['GPCM', partialCreditTerms, [0.9, -0.8, 0.5, 0.1], 4],
  ];
  for (const [name, terms, params, categories] of cases) {
    const m = params.length;
    const logP = (p: number[], theta: number, x: number): number => {
      const out = createNodeTerms(m);
      terms(theta, Float64Array.from(p), x, 1.7, out);
      return out.logP;
    };
    let scoreError = 0;
    let hessError = 0;
    let compared = 0;
    for (const theta of [-1.5, 0.2, 1.8]) {
      for (let x = 0; x < categories; x++) {
        const out = createNodeTerms(m);
        terms(theta, Float64Array.from(params), x, 1.7, out);
        const h = 1e-4;
        for (let j = 0; j < m; j++) {
          const shifted = (d: number): number[] => params.map((v, i) => (i === j ? v + d : v));
          const numeric = (logP(shifted(h), theta, x) - logP(shifted(-h), theta, x)) / (2 * h);
          scoreError = Math.max(scoreError, Math.abs(out.score[j]! - numeric));
          compared++;
          for (let l = 0; l < m; l++) {
            const shifted2 = (dj: number, dl: number): number[] => params.map((v, i) => v + (i === j ? dj : 0) + (i === l ? dl : 0));
            const second = (logP(shifted2(h, h), theta, x) - logP(shifted2(h, -h), theta, x) - logP(shifted2(-h, h), theta, x) + logP(shifted2(-h, -h), theta, x)) / (4 * h * h);
            hessError = Math.max(hessError, Math.abs(out.hess[j * m + l]! - second));
          }
        }
      }
    }
    t.equal(compared, 3 * categories * m, `${name}: every parameter at every category and theta`);
    t.ok(scoreError < 1e-6, `${name}: largest score difference ${scoreError.toExponential(1)}`);
    t.ok(hessError < 1e-4, `${name}: largest Hessian difference ${hessError.toExponential(1)}`);
  }
});

/** A category drawn from the item's probabilities at theta (D = 1). */
function draw(rng: Rng, theta: number, item: GradedResponseItem | GeneralizedPartialCreditItem): number {
  const p = categoryProbabilities(theta, item, 1);
  let u = rng.next();
  for (let k = 0; k < p.length - 1; k++) {
    u -= p[k]!;
    if (u < 0) return k;
  }
  return p.length - 1;
}

/**
 * Examinees' abilities as an EAP estimate reports them: in a normal model with posterior
 * SD se, theta-hat = (1 - se^2)(theta + e), e ~ N(0, se^2 / (1 - se^2)), so theta given
 * theta-hat is N(theta-hat, se^2), what calibration assumes (the dichotomous test checks the
 * same against real CATs).
 */
function sample(rng: Rng, n: number, se: number, item: GradedResponseItem | GeneralizedPartialCreditItem): PolytomousCalibrationResponse[] {
  return Array.from({ length: n }, () => {
    const theta = randomNormal(rng);
    const estimate = (1 - se * se) * (theta + randomNormal(rng, 0, se / Math.sqrt(1 - se * se)));
    return { theta: estimate, se, category: draw(rng, theta, item) };
  });
}

function randomItem(rng: Rng, model: 'GRM' | 'GPCM'): GradedResponseItem | GeneralizedPartialCreditItem {
  const a = 0.6 + 1.4 * rng.next();
  const location = -1 + 2 * rng.next();
  if (model === 'GRM') {
    const b = [-1.2, 0, 1.2].map((d) => location + d + 0.3 * (rng.next() - 0.5));
    return { model, a, b };
  }
  return { model, a, delta: [-1, 0, 1].map((d) => location + d + 0.4 * (rng.next() - 0.5)) };
}

for (const model of ['GRM', 'GPCM'] as const) {
  t.test(`${model}: 4-category items are recovered over abilities with SE 0.3, true values within 1.96 reported SEs for >= 90%`, async (t) => {
    const rng = createRng(model === 'GRM' ? 18 : 81);
    let inside = 0;
    let total = 0;
    let converged = 0;
    const items = 60;
    for (let i = 0; i < items; i++) {
      const item = randomItem(rng, model);
      const truth = [item.a, ...(item.model === 'GRM' ? item.b : item.delta)];
      const fit = calibratePolytomousItem(sample(rng, 500, 0.3, item), { model, categories: 4, D: 1 });
      if (fit.converged) converged++;
      const estimates = [fit.a, ...fit.steps];
      const ses = [fit.seA, ...fit.seSteps];
      truth.forEach((value, j) => {
        total++;
        const se = ses[j];
        if (se !== null && se !== undefined && Math.abs(estimates[j]! - value) < 1.96 * se) inside++;
      });
    }
    t.equal(converged, items, 'every fit converged');
    t.equal(total, items * 4, 'a and three steps per item');
    t.ok(inside / total >= 0.9, `${(100 * inside / total).toFixed(1)}% of ${total} parameters within 1.96 SE (nominal 95%)`);
  });
}

t.test('thin data: an unused category or too few responses gives a finite answer, not converged', async (t) => {
  const rng = createRng(5);
  const item: GradedResponseItem = { model: 'GRM', a: 1.2, b: [-1, 0, 1] };
  const noTop = sample(rng, 300, 0.3, item).map((r) => ({ ...r, category: Math.min(r.category, 2) }));
  const fit = calibratePolytomousItem(noTop, { model: 'GRM', categories: 4 });
  t.equal(fit.converged, false);
  t.ok([fit.a, ...fit.steps].every(Number.isFinite), 'finite parameters');
  const few = calibratePolytomousItem(sample(rng, 10, 0.3, item), { model: 'GRM', categories: 4 });
  t.equal(few.converged, false);
  const none = calibratePolytomousItem([], { model: 'GPCM', categories: 3 });
  t.same([none.converged, none.n, none.seA], [false, 0, null]);
});

t.test('invalid input is rejected', async (t) => {
  t.throws(() => calibratePolytomousItem([{ theta: 0, category: 4 }], { model: 'GRM', categories: 4 }), RangeError);
  t.throws(() => calibratePolytomousItem([{ theta: 0, category: 1.5 }], { model: 'GPCM', categories: 4 }), RangeError);
  t.throws(() => calibratePolytomousItem([], { model: 'GRM', categories: 1 }), RangeError);
  t.throws(() => calibratePolytomousItem([], { model: 'NRM' as 'GRM', categories: 3 }), RangeError);
  t.throws(() => calibratePolytomousItem([{ theta: 0, se: -1, category: 0 }], { model: 'GRM', categories: 2 }), RangeError);
});
