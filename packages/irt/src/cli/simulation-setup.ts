// The bank, CAT settings and examinees that the simulate and exposure commands build
// from the same flags and bank file, so K derived by one is simulated by the other under
// the very settings it was derived for.

import { createItemBank } from '../bank.js';
import type { BankItemInput, ItemBank } from '../bank.js';
import type { CatConfig } from '../cat.js';
import { generateBank } from '../generate-bank.js';
import { createRng, randomNormal } from '../rng.js';
import type { Rng } from '../rng.js';
import type { StoppingRules } from '../stopping.js';
import type { SimulateArgs } from './args.js';

type BankFileItem = BankItemInput & { readonly k?: number };

export interface SimulationSetup {
  readonly bank: ItemBank;
  /** The CAT settings, with Sympson-Hetter K from the bank file's k and --exposure when asked for. */
  readonly config: CatConfig;
  readonly thetas: Float64Array;
  readonly drawTheta: (rng: Rng) => number;
}

export function simulationSetup(args: SimulateArgs, readText: (path: string) => string): SimulationSetup {
  // Separate streams: changing the bank size must not shift the examinees' abilities.
  const bankRng = createRng(args.seed * 2 + 1);
  const thetaRng = createRng(args.seed * 2 + 2);

  let items: readonly BankFileItem[];
  let enemies: string[][] | undefined;
  let itemSets: string[][] | undefined;
  let D = Number.isNaN(args.D) ? 1 : args.D;
  if (args.bankFile) {
    const parsed: unknown = JSON.parse(readText(args.bankFile));
    if (Array.isArray(parsed)) {
      items = parsed as BankFileItem[];
    } else if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { items?: unknown }).items)) {
      const file = parsed as { items: BankFileItem[]; D?: number; enemies?: unknown; sets?: unknown };
      items = file.items;
      enemies = idGroups(file.enemies, 'enemies');
      itemSets = idGroups(file.sets, 'sets');
      if (Number.isNaN(args.D) && typeof file.D === 'number') D = file.D;
    } else {
      throw new Error('bank file must be an array of items or { "items": [...] }');
    }
  } else {
    items = generateBank(args.items, bankRng, { model: args.models, categories: args.categories, topics: args.topics });
  }
  const bank = createItemBank(items, { D });

  const stopping: StoppingRules = {
    ...(args.minItems !== undefined ? { minItems: args.minItems } : {}),
    ...(args.maxItems !== undefined ? { maxItems: args.maxItems } : {}),
    ...(args.seTarget !== undefined ? { seTarget: args.seTarget } : {}),
    ...(args.timeLimitMs !== undefined ? { timeLimitMs: args.timeLimitMs } : {}),
    ...(args.cut !== undefined ? { classification: { cut: args.cut, ...(args.alpha !== undefined ? { alpha: args.alpha } : {}) } } : {}),
  };
  if (args.alpha !== undefined && args.cut === undefined) throw new Error('--alpha needs --cut');
  // A classification rule alone would let undecided examinees use up the bank: it keeps the default length.
  const anyStop = stopping.maxItems !== undefined || stopping.seTarget !== undefined || stopping.timeLimitMs !== undefined;
  let k: Float64Array | undefined;
  if (args.sympsonHetter) k = Float64Array.from(items, (it) => it.k ?? 1);
  if (args.exposureFile) k = exposureParameters(readText(args.exposureFile), bank, k);
  const config: CatConfig = {
    bank,
    estimator: args.estimator,
    randomesque: args.randomesque,
    stopping: anyStop ? stopping : { ...stopping, maxItems: 30 },
    ...(k ? (args.eligibility ? { itemEligibility: k } : { sympsonHetter: k }) : {}),
    ...(args.strata !== undefined ? { aStratified: { strata: args.strata, ...(args.strataLengths ? { lengths: args.strataLengths } : {}) } } : {}),
    ...(args.posteriorWeighted !== undefined ? { posteriorWeighted: args.posteriorWeighted } : {}),
    ...(args.content ? { contentTargets: args.content } : {}),
    ...(enemies ? { enemies } : {}),
    ...(itemSets ? { itemSets } : {}),
  };

  const drawTheta = args.thetaDistribution === 'normal' ? (rng: Rng) => randomNormal(rng) : (rng: Rng) => -3 + 6 * rng.next();
  const thetas = new Float64Array(args.examinees);
  for (let i = 0; i < thetas.length; i++) thetas[i] = drawTheta(thetaRng);
  return { bank, config, thetas, drawTheta };
}

/**
 * An --exposure file: the exam setting `sympsonHetter` (item id → K, 1 for items not
 * listed), as the exposure command prints it. Multiplied into the bank file's k if both are given.
 */
function exposureParameters(text: string, bank: ItemBank, base: Float64Array | undefined): Float64Array {
  const parsed: unknown = JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('--exposure file must be an object of item id to K');
  const index = new Map(bank.ids.map((id, i) => [id, i]));
  const k = base ? base.slice() : new Float64Array(bank.size).fill(1);
  for (const [id, value] of Object.entries(parsed)) {
    const i = index.get(id);
    if (i === undefined) throw new Error(`--exposure names unknown item ${id}`);
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`--exposure K for ${id} must be a number in [0, 1]`);
    k[i] = (k[i] as number) * value;
  }
  return k;
}

/** A bank file's `enemies` or `sets`: groups of item ids. */
function idGroups(value: unknown, name: string): string[][] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((g) => Array.isArray(g) && g.every((id) => typeof id === 'string'))) {
    throw new Error(`"${name}" must be an array of arrays of item ids`);
  }
  return value as string[][];
}

