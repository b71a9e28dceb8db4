// Timing check for item selection on a 10 000-item bank (the target is well under
// 1 ms per call). Not a test: timings depend on the machine, so nothing asserts them.
// Run: pnpm bench   (node --conditions=dreamseed-source --import tsx bench/selection.ts)

import { createItemBank, createRng, createSelectionScratch, generateBank, selectItem } from '../src/index.js';
import type { SelectionOptions } from '../src/index.js';

const SIZE = 10_000;
const CALLS = 20_000;
const bank = createItemBank(generateBank(SIZE, createRng(1), { model: '4PL', topics: ['a', 'b', 'c', 'd'] }));
const rng = createRng(2);
const excluded = new Uint8Array(SIZE);
for (let i = 0; i < 40; i++) excluded[Math.floor(rng.next() * SIZE)] = 1; // a test in progress
const thetas = Float64Array.from({ length: 1024 }, () => -3 + 6 * rng.next());

const shK = new Float64Array(SIZE).map(() => 0.3 + 0.7 * rng.next());
const cases: [string, SelectionOptions][] = [
  ['maximum information', {}],
  ['randomesque k = 5', { randomesque: 5 }],
  ['Sympson-Hetter (K in [0.3, 1])', { sympsonHetter: shK }],
  ['content balancing (4 topics)', { contentTargets: Float64Array.from([0.4, 0.3, 0.2, 0.1]), topicCounts: Int32Array.from([3, 4, 2, 1]) }],
];

for (const [name, options] of cases) {
  const scratch = createSelectionScratch(bank, options.randomesque ?? 1);
  let sink = 0;
  for (let i = 0; i < 2000; i++) sink += selectItem(bank, thetas[i & 1023]!, excluded, rng, options, scratch).index; // warm-up
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) sink += selectItem(bank, thetas[i & 1023]!, excluded, rng, options, scratch).index;
  const perCall = (performance.now() - start) / CALLS;
  console.log(`${name.padEnd(34)} ${(perCall * 1000).toFixed(1).padStart(7)} µs per selection (${SIZE} items)  [${sink % 7}]`);
}
