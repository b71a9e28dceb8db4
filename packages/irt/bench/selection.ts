// Timing check for item selection on 10 000-item banks (the target is well under 1 ms
// per call): dichotomous banks and mixed banks of dichotomous and polytomous items, each
// selected with the full scan (fullScan: true, every item evaluated) and with the bank's
// index (the default), alternating round by round so both see the same machine load.
// Not a test: timings depend on the machine, so nothing asserts them. Each figure is the
// best of ROUNDS rounds of the process's CPU time (user + system), so a machine busy
// with other work skews it less than wall-clock time would. "items" is how many item
// informations one selection computed on average.
// Run: pnpm bench [bank name prefix]   (node --conditions=dreamseed-source --import tsx bench/selection.ts)

import { createItemBank, createRng, createSelectionScratch, generateBank, selectItem } from '../src/index.js';
import type { GenerateBankOptions, ItemBank, SelectionOptions, SelectionScratch } from '../src/index.js';

const SIZE = 10_000;
const CALLS = 1_000;
const ROUNDS = 7;
const topics = ['a', 'b', 'c', 'd'];
const rng = createRng(2);
const excluded = new Uint8Array(SIZE);
for (let i = 0; i < 40; i++) excluded[Math.floor(rng.next() * SIZE)] = 1; // a test in progress
const thetas = Float64Array.from({ length: 1024 }, () => -3 + 6 * rng.next());
const shK = new Float64Array(SIZE).map(() => 0.3 + 0.7 * rng.next());

const banks: [string, GenerateBankOptions][] = [
  ['4PL', { model: '4PL' }],
  ['3PL', { model: '3PL' }],
  ['2PL', { model: '2PL' }],
  ['mixed: 3PL, GRM, GPCM (4 categories)', { model: ['3PL', 'GRM', 'GPCM'] }],
  ['mixed: 2PL, PCM, RSM, NRM (5 categories)', { model: ['2PL', 'PCM', 'RSM', 'NRM'], categories: 5 }],
  ['GRM (5 categories)', { model: 'GRM', categories: 5 }],
];
const cases: [string, SelectionOptions][] = [
  ['maximum information', {}],
  ['randomesque k = 5', { randomesque: 5 }],
  ['Sympson-Hetter (K in [0.3, 1])', { sympsonHetter: shK }],
  ['content balancing (4 topics)', { contentTargets: Float64Array.from([0.4, 0.3, 0.2, 0.1]), topicCounts: Int32Array.from([3, 4, 2, 1]) }],
];

function round(bank: ItemBank, selection: SelectionOptions, scratch: SelectionScratch): number {
  let sink = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) sink += selectItem(bank, thetas[i & 1023]!, excluded, rng, selection, scratch).index;
  const used = process.cpuUsage(start);
  if (sink === -CALLS * 2) console.log('unreachable'); // keeps the calls from being optimised away
  return (used.user + used.system) / CALLS; // µs per call
}

const only = process.argv[2];
for (const [bankName, options] of banks) {
  if (only && !bankName.startsWith(only)) continue;
  const bank: ItemBank = createItemBank(generateBank(SIZE, createRng(1), { ...options, topics }));
  console.log(`${bankName}: ${SIZE} items          full scan µs (items)    pruned µs (items)    ratio`);
  for (const [name, selection] of cases) {
    const fullOptions = { ...selection, fullScan: true };
    const full = createSelectionScratch(bank, selection.randomesque ?? 1);
    const pruned = createSelectionScratch(bank, selection.randomesque ?? 1);
    round(bank, fullOptions, full); // warm-up
    round(bank, selection, pruned);
    full.evaluated[0] = pruned.evaluated[0] = 0;
    let bestFull = Infinity;
    let bestPruned = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      bestFull = Math.min(bestFull, round(bank, fullOptions, full));
      bestPruned = Math.min(bestPruned, round(bank, selection, pruned));
    }
    const items = (s: SelectionScratch): string => `(${Math.round(s.evaluated[0]! / (ROUNDS * CALLS))})`.padStart(8);
    console.log(
      `  ${name.padEnd(32)} ${bestFull.toFixed(1).padStart(8)} ${items(full)}   ${bestPruned.toFixed(1).padStart(8)} ${items(pruned)}   ${(bestFull / bestPruned).toFixed(1).padStart(5)}x`,
    );
  }
}
