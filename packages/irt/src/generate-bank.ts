// Random but plausible item banks for simulations and benchmarks when no calibrated
// bank is at hand; seeded so every run of a study sees the same bank.

import type { BankItemInput } from './bank.js';
import type { DichotomousModel } from './model.js';
import { isPolytomousModel } from './polytomous.js';
import type { PolytomousModel } from './polytomous.js';
import { randomInt, randomNormal } from './rng.js';
import type { Rng } from './rng.js';

export type ItemModel = DichotomousModel | PolytomousModel;

export interface GenerateBankOptions {
  /** One model, or several: each item then takes one of them at random (a mixed bank). */
  readonly model?: ItemModel | readonly ItemModel[];
  /** Response categories of every polytomous item (default 4). */
  readonly categories?: number;
  /** Topics assigned uniformly at random; none when omitted. */
  readonly topics?: readonly string[];
  /** Mean and sd of the difficulties (default N(0, 1)). */
  readonly difficulty?: { readonly mean: number; readonly sd: number };
}

/**
 * Dichotomous: a ~ lognormal(0, 0.3) clipped to [0.4, 2.5], b ~ N(mean, sd),
 * c ~ U(0.05, 0.25) for 3PL/4PL, d ~ U(0.9, 1) for 4PL. Polytomous items have a
 * location ~ N(mean, sd): GRM thresholds spread around it 0.4 to 1.2 apart, PCM/GPCM
 * steps location + N(0, 0.7), RSM one set of steps for the whole bank, NRM slopes
 * rising by 0.3 to 1 per category; a as for the dichotomous items.
 */
export function generateBank(size: number, rng: Rng, options: GenerateBankOptions = {}): BankItemInput[] {
  if (!(Number.isInteger(size) && size >= 0)) throw new RangeError('size must be an integer >= 0');
  const models: readonly ItemModel[] = typeof options.model === 'string' ? [options.model] : (options.model ?? ['3PL']);
  if (models.length === 0) throw new RangeError('give at least one model');
  const categories = options.categories ?? 4;
  if (!(Number.isInteger(categories) && categories >= 2 && categories <= 31)) throw new RangeError('categories must be an integer in 2..31');
  const { mean, sd } = options.difficulty ?? { mean: 0, sd: 1 };
  const topics = options.topics ?? [];
  const items: BankItemInput[] = [];
  const width = String(size).length;
  let rsmSteps: number[] | undefined;
  for (let i = 0; i < size; i++) {
    const model = models[randomInt(rng, models.length)] as ItemModel;
    const id = `item-${String(i + 1).padStart(width, '0')}`;
    let item: BankItemInput;
    if (isPolytomousModel(model)) {
      const location = randomNormal(rng, mean, sd);
      const K = categories - 1;
      switch (model) {
        case 'GRM':
          item = { model, a: slope(rng), b: spread(rng, K).map((s) => round(location + s)) };
          break;
        case 'GPCM':
          item = { model, a: slope(rng), delta: steps(rng, location, K) };
          break;
        case 'PCM':
          item = { model, delta: steps(rng, location, K) };
          break;
        case 'RSM':
          rsmSteps ??= spread(rng, K).map(round);
          item = { model, lambda: round(location), delta: rsmSteps };
          break;
        case 'NRM': {
          const a: number[] = [];
          let s = 0;
          for (let k = 0; k < K; k++) a.push(round((s += 0.3 + 0.7 * rng.next())));
          item = { model, a, c: a.map((ak) => round(-ak * location + randomNormal(rng, 0, 0.5))) };
          break;
        }
      }
    } else {
      const a = model === '1PL' ? 1 : slope(rng);
      const b = round(randomNormal(rng, mean, sd));
      const c = model === '3PL' || model === '4PL' ? round(0.05 + 0.2 * rng.next()) : 0;
      const d = model === '4PL' ? round(0.9 + 0.1 * rng.next()) : 1;
      item = { a, b, c, d };
    }
    const topic = topics.length > 0 ? topics[randomInt(rng, topics.length)] : undefined;
    items.push({ id, ...item, ...(topic ? { topic } : {}) });
  }
  return items;
}

function slope(rng: Rng): number {
  return round(Math.min(2.5, Math.max(0.4, Math.exp(randomNormal(rng, 0, 0.3)))));
}

/** K increasing offsets 0.4 to 1.2 apart, centred on 0 (and strictly increasing after rounding). */
function spread(rng: Rng, K: number): number[] {
  const out: number[] = [0];
  for (let k = 1; k < K; k++) out.push((out[k - 1] as number) + 0.4 + 0.8 * rng.next());
  const centre = ((out[0] as number) + (out[K - 1] as number)) / 2;
  return out.map((x) => x - centre);
}

function steps(rng: Rng, location: number, K: number): number[] {
  return Array.from({ length: K }, () => round(location + randomNormal(rng, 0, 0.7)));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
