// Random but plausible item banks for simulations and benchmarks when no calibrated
// bank is at hand; seeded so every run of a study sees the same bank.

import type { BankItemInput } from './bank.js';
import { randomInt, randomNormal } from './rng.js';
import type { Rng } from './rng.js';

export type ItemModel = '1PL' | '2PL' | '3PL' | '4PL';

export interface GenerateBankOptions {
  readonly model?: ItemModel;
  /** Topics assigned uniformly at random; none when omitted. */
  readonly topics?: readonly string[];
  /** Mean and sd of the difficulties (default N(0, 1)). */
  readonly difficulty?: { readonly mean: number; readonly sd: number };
}

/**
 * a ~ lognormal(0, 0.3) clipped to [0.4, 2.5], b ~ N(mean, sd),
 * c ~ U(0.05, 0.25) for 3PL/4PL, d ~ U(0.9, 1) for 4PL.
 */
export function generateBank(size: number, rng: Rng, options: GenerateBankOptions = {}): BankItemInput[] {
  if (!(Number.isInteger(size) && size >= 0)) throw new RangeError('size must be an integer >= 0');
  const model = options.model ?? '3PL';
  const { mean, sd } = options.difficulty ?? { mean: 0, sd: 1 };
  const topics = options.topics ?? [];
  const items: BankItemInput[] = [];
  const width = String(size).length;
  for (let i = 0; i < size; i++) {
    const a = model === '1PL' ? 1 : round(Math.min(2.5, Math.max(0.4, Math.exp(randomNormal(rng, 0, 0.3)))));
    const b = round(randomNormal(rng, mean, sd));
    const c = model === '3PL' || model === '4PL' ? round(0.05 + 0.2 * rng.next()) : 0;
    const d = model === '4PL' ? round(0.9 + 0.1 * rng.next()) : 1;
    const topic = topics.length > 0 ? topics[randomInt(rng, topics.length)] : undefined;
    items.push({ id: `item-${String(i + 1).padStart(width, '0')}`, a, b, c, d, ...(topic ? { topic } : {}) });
  }
  return items;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
