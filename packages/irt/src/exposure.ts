// Exposure control decisions kept separate from the information scan: which of the
// top candidates to take (randomesque) and whether to administer it (Sympson-Hetter).

import { randomInt } from './rng.js';
import type { Rng } from './rng.js';

/**
 * Randomesque (Kingsbury & Zara 1989): uniform choice among the `count` most
 * informative candidates, so the single best item is not given to everyone.
 */
export function randomesquePick(count: number, rng: Rng): number {
  return count <= 1 ? 0 : randomInt(rng, count);
}

/**
 * Sympson-Hetter (1985): a selected item is administered with probability K_i.
 * K = 1 always passes, K = 0 never does (and no random number is spent on either).
 */
export function sympsonHetterAdmits(k: number, rng: Rng): boolean {
  if (k >= 1) return true;
  if (k <= 0) return false;
  return rng.next() < k;
}

/** Share of examinees who saw each item. */
export function exposureRates(counts: ArrayLike<number>, examinees: number): Float64Array {
  const rates = new Float64Array(counts.length);
  if (examinees <= 0) return rates;
  for (let i = 0; i < counts.length; i++) rates[i] = (counts[i] as number) / examinees;
  return rates;
}

export function validateExposureParameters(k: ArrayLike<number>, bankSize: number): void {
  if (k.length !== bankSize) {
    throw new RangeError(`Sympson-Hetter needs one K per item: ${k.length} for ${bankSize} items`);
  }
  for (let i = 0; i < k.length; i++) {
    const v = k[i] as number;
    if (!(v >= 0 && v <= 1)) throw new RangeError(`K for item ${i} must be in [0, 1], got ${v}`);
  }
}
