// Timing check for item selection on 10 000-item banks (the target is well under 1 ms
// per call): a dichotomous 4PL bank and mixed banks of dichotomous and polytomous items.
// Not a test: timings depend on the machine, so nothing asserts them. Each figure is the
// best of ROUNDS rounds of the process's CPU time (user + system), so a machine busy
// with other work skews it less than wall-clock time would.
// Run: pnpm bench   (node --conditions=dreamseed-source --import tsx bench/selection.ts)

import { createItemBank, createRng, createSelectionScratch, generateBank, selectItem } from '../src/index.js';
import type { GenerateBankOptions, ItemBank, SelectionOptions } from '../src/index.js';

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

const only = process.argv[2];
for (const [bankName, options] of banks) {
  if (only && !bankName.startsWith(only)) continue;
  const bank: ItemBank = createItemBank(generateBank(SIZE, createRng(1), { ...options, topics }));
  console.log(`${bankName}: ${SIZE} items`);
  for (const [name, selection] of cases) {
    const scratch = createSelectionScratch(bank, selection.randomesque ?? 1);
    let sink = 0;
    for (let i = 0; i < 1000; i++) sink += selectItem(bank, thetas[i & 1023]!, excluded, rng, selection, scratch).index; // warm-up
    let best = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const start = process.cpuUsage();
      for (let i = 0; i < CALLS; i++) sink += selectItem(bank, thetas[i & 1023]!, excluded, rng, selection, scratch).index;
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / 1000 / CALLS);
    }
    console.log(`  ${name.padEnd(32)} ${(best * 1000).toFixed(1).padStart(7)} µs per selection  [${sink % 7}]`);
  }
}
