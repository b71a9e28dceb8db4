// Content balancing picks which topic the next item must come from, so a short
// adaptive test still covers the blueprint (Kingsbury & Zara 1989; catR's cbControl).

import { randomInt } from './rng.js';
import type { Rng } from './rng.js';

const TIE = 1e-12;

/**
 * Turns { topic: weight } into one proportion per bank topic (summing to 1, as catR
 * normalizes cbControl$props). Topics absent from the map get 0 and are never chosen.
 */
export function contentTargets(bankTopics: readonly string[], targets: Readonly<Record<string, number>>): Float64Array {
  const out = new Float64Array(bankTopics.length);
  let sum = 0;
  for (const [topic, w] of Object.entries(targets)) {
    const t = bankTopics.indexOf(topic);
    if (t < 0) throw new RangeError(`content target for unknown topic ${topic}`);
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`target for ${topic} must be >= 0`);
    out[t] = w;
    sum += w;
  }
  if (!(sum > 0)) throw new RangeError('content targets must have a positive total');
  for (let t = 0; t < out.length; t++) out[t] = (out[t] as number) / sum;
  return out;
}

/**
 * catR's rule for MFI with content balancing: if some targeted topic has had no item
 * yet, pick one of those (uniformly); otherwise pick the topic furthest below its
 * target proportion (largest target - observed), ties broken uniformly.
 * Topics flagged in `exhausted` (no item left) are skipped. Returns -1 if none is left.
 */
export function chooseTopic(
  targets: Float64Array,
  counts: ArrayLike<number>,
  exhausted: Uint8Array,
  rng: Rng,
): number {
  const nTopics = targets.length;
  let total = 0;
  for (let t = 0; t < nTopics; t++) total += counts[t] as number;
  let nEmpty = 0;
  for (let t = 0; t < nTopics; t++) {
    if (eligible(t, targets, exhausted) && counts[t] === 0) nEmpty++;
  }
  if (nEmpty > 0) {
    let pick = randomInt(rng, nEmpty);
    for (let t = 0; t < nTopics; t++) {
      if (eligible(t, targets, exhausted) && counts[t] === 0 && pick-- === 0) return t;
    }
  }
  let best = -Infinity;
  let nBest = 0;
  for (let t = 0; t < nTopics; t++) {
    if (!eligible(t, targets, exhausted)) continue;
    const gap = (targets[t] as number) - (counts[t] as number) / total;
    if (gap > best + TIE) {
      best = gap;
      nBest = 1;
    } else if (gap >= best - TIE) {
      nBest++;
    }
  }
  if (nBest === 0) return -1;
  let pick = randomInt(rng, nBest);
  for (let t = 0; t < nTopics; t++) {
    if (!eligible(t, targets, exhausted)) continue;
    const gap = (targets[t] as number) - (counts[t] as number) / total;
    if (gap >= best - TIE && pick-- === 0) return t;
  }
  return -1;
}

function eligible(t: number, targets: Float64Array, exhausted: Uint8Array): boolean {
  return (targets[t] as number) > 0 && exhausted[t] === 0;
}
