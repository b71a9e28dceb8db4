// Monte Carlo CATs: simulated examinees with known ability answer by the model, so
// a bank and a test design can be judged before real students see them.

import { createCatEngine } from './cat.js';
import type { CatConfig, CatEngine } from './cat.js';
import { responseFromUniform } from './model.js';
import { bankItem } from './bank.js';
import { summarize } from './report.js';
import type { ExamineeResult, SimulationReport } from './report.js';
import { createRng } from './rng.js';
import type { Rng } from './rng.js';

export interface SimulationOptions {
  readonly seed: number;
  /** Simulated time per item, so time-limit rules can be studied (default 0). */
  readonly msPerItem?: number;
  /** Edges of the ability bands in the report (default: unit bands). */
  readonly thetaBands?: readonly number[];
}

/**
 * Runs one full CAT. The examinee answers by responseFromUniform() (correctly when a
 * uniform draw is below P(trueTheta)); selection randomness uses the same stream.
 */
export function simulateExaminee(engine: CatEngine, trueTheta: number, rng: Rng, msPerItem = 0): ExamineeResult {
  const { bank } = engine.config;
  let session = engine.start();
  const interim: number[] = [];
  let passedOver: number[] | undefined;
  for (;;) {
    const step = engine.next(session, rng, session.items.length * msPerItem);
    session = step.session;
    if (step.done) {
      return {
        trueTheta,
        theta: session.theta,
        se: session.se,
        length: session.items.length,
        reason: step.reason,
        items: session.items,
        interim,
        passedOver: passedOver ?? [],
        ...(step.classification ? { classification: step.classification } : {}),
      };
    }
    if (step.passedOver.length > 0) (passedOver ??= []).push(...step.passedOver);
    session = engine.answer(session, step.item, responseFromUniform(trueTheta, bankItem(bank, step.item), rng.next(), bank.D));
    interim.push(session.theta);
  }
}

/** Full CATs for every true ability, deterministic for a given seed. */
export function simulateCats(
  config: CatConfig,
  trueThetas: ArrayLike<number>,
  options: SimulationOptions,
): SimulationReport {
  const engine = createCatEngine(config);
  const rng = createRng(options.seed);
  const results: ExamineeResult[] = [];
  for (let i = 0; i < trueThetas.length; i++) {
    results.push(simulateExaminee(engine, trueThetas[i] as number, rng, options.msPerItem ?? 0));
  }
  return summarize(results, config.bank.ids, options.seed, options.thetaBands, config.stopping.classification?.cut);
}
