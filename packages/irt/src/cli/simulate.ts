// `pnpm simulate`: runs a CAT simulation on a JSON bank (or a seeded random one) and
// prints the report. The only part of the package that reads files or the console.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createItemBank } from '../bank.js';
import type { BankItemInput } from '../bank.js';
import type { CatConfig } from '../cat.js';
import { generateBank } from '../generate-bank.js';
import { createRng, randomNormal } from '../rng.js';
import { simulateCats } from '../simulate.js';
import type { StoppingRules } from '../stopping.js';
import { parseSimulateArgs, USAGE } from './args.js';
import { reportToMarkdown } from './markdown.js';

type BankFileItem = BankItemInput & { readonly k?: number };

/** Runs the command; returns what it prints. `readText` is injected so tests need no files. */
export function runSimulate(argv: readonly string[], readText: (path: string) => string): string {
  const args = parseSimulateArgs(argv);
  if (args.help) return USAGE;
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
  const config: CatConfig = {
    bank,
    estimator: args.estimator,
    randomesque: args.randomesque,
    stopping: anyStop ? stopping : { ...stopping, maxItems: 30 },
    ...(args.sympsonHetter ? { sympsonHetter: items.map((it) => it.k ?? 1) } : {}),
    ...(args.content ? { contentTargets: args.content } : {}),
    ...(enemies ? { enemies } : {}),
    ...(itemSets ? { itemSets } : {}),
  };

  const thetas = new Float64Array(args.examinees);
  for (let i = 0; i < thetas.length; i++) {
    thetas[i] = args.thetaDistribution === 'normal' ? randomNormal(thetaRng) : -3 + 6 * thetaRng.next();
  }
  const report = simulateCats(config, thetas, { seed: args.seed, msPerItem: args.msPerItem });
  if (args.format === 'markdown') return reportToMarkdown(report);
  return JSON.stringify(report, null, 2);
}

/** A bank file's `enemies` or `sets`: groups of item ids. */
function idGroups(value: unknown, name: string): string[][] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((g) => Array.isArray(g) && g.every((id) => typeof id === 'string'))) {
    throw new Error(`"${name}" must be an array of arrays of item ids`);
  }
  return value as string[][];
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  try {
    process.stdout.write(`${runSimulate(process.argv.slice(2), (p) => readFileSync(p, 'utf8'))}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    process.exitCode = 1;
  }
}
