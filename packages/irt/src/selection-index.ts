// The order in which pruned selection visits a bank, built once per bank: the
// dichotomous items in groups of similar peak information, each group sorted by b and
// cut into small buckets with the bounds of their parameters, and the polytomous items
// by a fixed information bound. Selection then walks outward from theta through the
// groups that could still hold a better item and skips the rest (pruned-scan.ts).

import type { ItemBank } from './bank.js';
import { KIND_DICHOTOMOUS } from './bank-information.js';
import { dichotomousPeak, polytomousPeak } from './information-bounds.js';
import type { PolytomousItem } from './polytomous.js';

/** Items per bucket: the unit that is skipped or evaluated as a whole. */
const BUCKET = 16;
/** Items per peak group (a multiple of BUCKET). */
const GROUP = 256;

/** Buckets and groups: the ranges of b, D a, c, 1 - d and d - c of their items (see regionBound). */
export interface Regions {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly sMin: Float64Array;
  readonly sMax: Float64Array;
  /** min c / max (d - c) */
  readonly cr: Float64Array;
  /** min (1 - d) / max (d - c) */
  readonly qr: Float64Array;
  /** Largest peak information (dichotomousPeak) of an item in it. */
  readonly peak: Float64Array;
}

/** The visiting order for one set of items (the whole bank, or one topic). */
export interface ScanIndex {
  /** Bank indices: each group's buckets one after the other, then the polytomous items. */
  readonly order: Int32Array;
  /** Bucket j holds order[bucketStart[j] .. bucketStart[j + 1]). */
  readonly bucketStart: Int32Array;
  readonly buckets: Regions;
  /** Group g holds buckets groupFirst[g] .. groupFirst[g + 1] - 1, sorted by b. */
  readonly groupFirst: Int32Array;
  readonly groups: Regions;
  /** Groups by decreasing peak (so the scan can stop at the first that cannot compete). */
  readonly groupOrder: Int32Array;
  /** Polytomous items are order[polyFrom ..], by decreasing polyBound. */
  readonly polyFrom: number;
  readonly polyBound: Float64Array;
}

export interface SelectionIndex {
  readonly all: ScanIndex;
  /** Per bank topic, for content balancing: built when first asked for (scanIndexOfTopic). */
  readonly byTopic: (ScanIndex | undefined)[];
  /** Peak information of every item (dichotomousPeak, polytomousPeak). */
  readonly peaks: Float64Array;
}

const cache = new WeakMap<ItemBank, SelectionIndex>();

/** The bank's index, built on first use and kept as long as the bank (banks are never changed). */
export function selectionIndex(bank: ItemBank): SelectionIndex {
  let index = cache.get(bank);
  if (!index) {
    const peaks = new Float64Array(bank.size);
    for (let i = 0; i < bank.size; i++) {
      peaks[i] = bank.kind[i] === KIND_DICHOTOMOUS
        ? dichotomousPeak(bank.da[i] as number, bank.c[i] as number, bank.d[i] as number)
        : polytomousPeak(bank.items[i] as PolytomousItem, bank.D);
    }
    const all = Array.from({ length: bank.size }, (_, i) => i);
    index = { all: scanIndex(bank, peaks, all), byTopic: bank.topics.map(() => undefined), peaks };
    cache.set(bank, index);
  }
  return index;
}

/** The index of one topic's items (undefined for a topic the bank does not have). */
export function scanIndexOfTopic(bank: ItemBank, topic: number): ScanIndex | undefined {
  const index = selectionIndex(bank);
  if (!(topic >= 0 && topic < index.byTopic.length)) return undefined;
  let part = index.byTopic[topic];
  if (!part) {
    const items: number[] = [];
    for (let i = 0; i < bank.size; i++) if (bank.topicOf[i] === topic) items.push(i);
    part = index.byTopic[topic] = scanIndex(bank, index.peaks, items);
  }
  return part;
}

function scanIndex(bank: ItemBank, peaks: Float64Array, items: readonly number[]): ScanIndex {
  const byPeak = (x: number, y: number): number => (peaks[y] as number) - (peaks[x] as number) || x - y;
  const dich = items.filter((i) => bank.kind[i] === KIND_DICHOTOMOUS).sort(byPeak);
  const poly = items.filter((i) => bank.kind[i] !== KIND_DICHOTOMOUS).sort(byPeak);
  const order: number[] = [];
  const bucketStart: number[] = [];
  const groupFirst: number[] = [];
  for (let g = 0; g < dich.length; g += GROUP) {
    groupFirst.push(bucketStart.length);
    const members = dich.slice(g, g + GROUP).sort((x, y) => (bank.b[x] as number) - (bank.b[y] as number) || x - y);
    for (let k = 0; k < members.length; k += BUCKET) {
      bucketStart.push(order.length);
      order.push(...members.slice(k, k + BUCKET));
    }
  }
  const nBuckets = bucketStart.length;
  bucketStart.push(order.length);
  groupFirst.push(nBuckets);
  const buckets = regions(bank, peaks, order, bucketStart);
  const groupStart = groupFirst.map((j) => bucketStart[j] as number);
  const groups = regions(bank, peaks, order, groupStart);
  const nGroups = groupFirst.length - 1;
  const groupOrder = Int32Array.from({ length: nGroups }, (_, g) => g).sort((x, y) => (groups.peak[y] as number) - (groups.peak[x] as number) || x - y);
  const polyFrom = order.length;
  order.push(...poly);
  return {
    order: Int32Array.from(order),
    bucketStart: Int32Array.from(bucketStart),
    buckets,
    groupFirst: Int32Array.from(groupFirst),
    groups,
    groupOrder,
    polyFrom,
    polyBound: Float64Array.from(poly, (i) => peaks[i] as number),
  };
}

/** The parameter ranges of order[start[j] .. start[j + 1]) for every j. */
function regions(bank: ItemBank, peaks: Float64Array, order: readonly number[], start: readonly number[]): Regions {
  const n = start.length - 1;
  const out = {
    lo: new Float64Array(n),
    hi: new Float64Array(n),
    sMin: new Float64Array(n),
    sMax: new Float64Array(n),
    cr: new Float64Array(n),
    qr: new Float64Array(n),
    peak: new Float64Array(n),
  };
  for (let j = 0; j < n; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    let sMin = Infinity;
    let sMax = 0;
    let cMin = Infinity;
    let qMin = Infinity;
    let rMax = 0;
    let peak = 0;
    for (let p = start[j] as number; p < (start[j + 1] as number); p++) {
      const i = order[p] as number;
      lo = Math.min(lo, bank.b[i] as number);
      hi = Math.max(hi, bank.b[i] as number);
      sMin = Math.min(sMin, bank.da[i] as number);
      sMax = Math.max(sMax, bank.da[i] as number);
      cMin = Math.min(cMin, bank.c[i] as number);
      qMin = Math.min(qMin, 1 - (bank.d[i] as number));
      rMax = Math.max(rMax, bank.span[i] as number);
      peak = Math.max(peak, peaks[i] as number);
    }
    out.lo[j] = lo;
    out.hi[j] = hi;
    out.sMin[j] = sMin;
    out.sMax[j] = sMax;
    out.cr[j] = cMin / rMax;
    out.qr[j] = qMin / rMax;
    out.peak[j] = peak;
  }
  return out;
}
