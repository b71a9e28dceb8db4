// The most informative eligible items found without evaluating the whole bank: the
// groups of the bank's index (selection-index.ts) are visited by decreasing peak, each
// from theta outward, and a bucket, the rest of a group or everything left is skipped as
// soon as its information bound (information-bounds.ts) is below the candidates already
// held. Items are ranked by (information, then lower bank index), which is the order the
// full scan's index-order insertion produces, so both return the same list.

import type { ItemBank } from './bank.js';
import { dichotomousInformation, polytomousBankInformation } from './bank-information.js';
import { SLACK_ABSOLUTE, SLACK_RELATIVE, regionBound } from './information-bounds.js';
import type { Item } from './model.js';
import type { Regions, ScanIndex } from './selection-index.js';

/** Where collectPruned() writes its ranked candidates. */
export interface PrunedScanTarget {
  readonly topIndex: Int32Array;
  readonly topInfo: Float64Array;
  readonly rejectedMask: Uint8Array;
}

const MARGIN = 1 + SLACK_RELATIVE;

function bound(r: Regions, j: number, lo: number, hi: number, theta: number): number {
  return regionBound(lo, hi, r.sMin[j] as number, r.sMax[j] as number, r.cr[j] as number, r.qr[j] as number, r.peak[j] as number, theta) * MARGIN + SLACK_ABSOLUTE;
}

/**
 * Same contract as collectMostInformative() over the items of `index`; returns how many
 * candidates were written and adds the items evaluated to `counter[0]`. theta must be finite.
 */
export function collectPruned(
  bank: ItemBank,
  index: ScanIndex,
  theta: number,
  excluded: Uint8Array,
  want: number,
  target: PrunedScanTarget,
  counter: Float64Array,
): number {
  const { topIndex, topInfo, rejectedMask } = target;
  const { order, bucketStart, buckets, groupFirst, groups, groupOrder, polyFrom, polyBound } = index;
  const { da, b, c, d, span } = bank;
  let count = 0;
  let evaluated = 0;
  // Below this nothing can enter the list; -Infinity until it holds `want` items.
  let floor = -Infinity;

  const offer = (i: number, info: number): void => {
    evaluated++;
    if (count === want) {
      const last = topInfo[want - 1] as number;
      if (!(info > last || (info === last && i < (topIndex[want - 1] as number)))) return;
    } else {
      count++;
    }
    let pos = count - 1;
    while (pos > 0) {
      const above = topInfo[pos - 1] as number;
      if (!(info > above || (info === above && i < (topIndex[pos - 1] as number)))) break;
      topInfo[pos] = above;
      topIndex[pos] = topIndex[pos - 1] as number;
      pos--;
    }
    topInfo[pos] = info;
    topIndex[pos] = i;
    if (count === want) floor = topInfo[want - 1] as number;
  };

  const visitBucket = (j: number): void => {
    if (floor > -Infinity && bound(buckets, j, buckets.lo[j] as number, buckets.hi[j] as number, theta) < floor) return;
    for (let p = bucketStart[j] as number; p < (bucketStart[j + 1] as number); p++) {
      const i = order[p] as number;
      if (excluded[i] !== 0 || rejectedMask[i] !== 0) continue;
      offer(i, dichotomousInformation(da[i] as number, b[i] as number, c[i] as number, d[i] as number, span[i] as number, theta));
    }
  };

  let poly = polyFrom;
  for (let k = 0; k < groupOrder.length; k++) {
    const g = groupOrder[k] as number;
    const peak = (groups.peak[g] as number) * MARGIN + SLACK_ABSOLUTE;
    // Polytomous items whose bound beats this group's peak come first: they may raise the floor.
    polytomousAbove(groups.peak[g] as number);
    if (peak < floor) break; // groups come by decreasing peak: none left can compete
    const gLo = groups.lo[g] as number;
    const gHi = groups.hi[g] as number;
    if (floor > -Infinity && bound(groups, g, gLo, gHi, theta) < floor) continue;
    const first = groupFirst[g] as number;
    const end = groupFirst[g + 1] as number;
    // First bucket reaching theta: buckets from it on lie at or above theta, those before it below.
    let lo = first;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((buckets.hi[mid] as number) < theta) lo = mid + 1;
      else hi = mid;
    }
    let up = lo;
    let down = lo - 1;
    while (up < end || down >= first) {
      const upGap = up < end ? (buckets.lo[up] as number) - theta : Infinity;
      const downGap = down >= first ? theta - (buckets.hi[down] as number) : Infinity;
      if (upGap <= downGap) {
        // Everything from bucket `up` on has b in [lo of up, group hi].
        if (floor > -Infinity && bound(groups, g, buckets.lo[up] as number, gHi, theta) < floor) up = end;
        else visitBucket(up++);
      } else if (floor > -Infinity && bound(groups, g, gLo, buckets.hi[down] as number, theta) < floor) {
        down = first - 1;
      } else {
        visitBucket(down--);
      }
    }
  }
  polytomousAbove(-Infinity);
  counter[0] = (counter[0] as number) + evaluated;
  return count;

  /** Offers the next polytomous items whose bound exceeds `limit`, until one cannot compete. */
  function polytomousAbove(limit: number): void {
    for (; poly < order.length; poly++) {
      const top = polyBound[poly - polyFrom] as number;
      if (!(top > limit)) return;
      if (top * MARGIN + SLACK_ABSOLUTE < floor) {
        poly = order.length; // sorted by bound: none after it can compete either
        return;
      }
      const i = order[poly] as number;
      if (excluded[i] !== 0 || rejectedMask[i] !== 0) continue;
      offer(i, polytomousBankInformation(bank.kind[i] as number, bank.polyData, bank.polyStart[i] as number, bank.items[i] as Item, bank.D, theta));
    }
  }
}
