// The item bank as flat typed arrays with D*a and d-c precomputed: item selection scans
// thousands of items per step and must not chase objects or allocate. Polytomous items
// keep their parameters in `items` (and NaN in the dichotomous arrays) and the numbers
// their information needs in `polyData`.

import { compilePolytomous } from './bank-information.js';
import { categoryCount, isPolytomous, toItem } from './model.js';
import type { AnyItemInput, Item } from './model.js';

export type BankItemInput = AnyItemInput & {
  readonly id?: string;
  /** Content area used by content balancing. */
  readonly topic?: string;
};

export interface ItemBank {
  readonly size: number;
  /** Scaling constant the parameters were calibrated with. */
  readonly D: number;
  readonly ids: readonly string[];
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly d: Float64Array;
  /** D * a */
  readonly da: Float64Array;
  /** d - c */
  readonly span: Float64Array;
  /** Index into `topics`, or -1 for an item without a topic. */
  readonly topicOf: Int32Array;
  readonly topics: readonly string[];
  /** Every item, validated: dichotomous ones as { a, b, c, d }. */
  readonly items: readonly Item[];
  /** Response categories per item (2 for a dichotomous item). */
  readonly categories: Int32Array;
  /** How selection computes each item's information: 0 dichotomous, else see bank-information.ts. */
  readonly kind: Uint8Array;
  /** Where a polytomous item's precomputed numbers start in `polyData`. */
  readonly polyStart: Int32Array;
  readonly polyData: Float64Array;
  /** How many items are polytomous (0: selection takes the all-dichotomous path). */
  readonly polytomous: number;
}

export function createItemBank(items: readonly BankItemInput[], options: { D?: number } = {}): ItemBank {
  const D = options.D ?? 1;
  if (!(D > 0)) throw new RangeError(`D must be > 0, got ${D}`);
  const n = items.length;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const d = new Float64Array(n);
  const da = new Float64Array(n);
  const span = new Float64Array(n);
  const topicOf = new Int32Array(n);
  const topics: string[] = [];
  const topicIndex = new Map<string, number>();
  const ids: string[] = [];
  const seen = new Set<string>();
  const validated: Item[] = [];
  const categories = new Int32Array(n);
  const kind = new Uint8Array(n);
  const polyStart = new Int32Array(n);
  const polyData: number[] = [];
  let polytomous = 0;
  for (let i = 0; i < n; i++) {
    const input = items[i] as BankItemInput;
    const p = toItem(input);
    validated.push(p);
    categories[i] = categoryCount(p);
    if (isPolytomous(p)) {
      polytomous++;
      polyStart[i] = polyData.length;
      kind[i] = compilePolytomous(p, D, polyData);
      a[i] = b[i] = c[i] = d[i] = da[i] = span[i] = Number.NaN;
    } else {
      a[i] = p.a;
      b[i] = p.b;
      c[i] = p.c;
      d[i] = p.d;
      da[i] = D * p.a;
      span[i] = p.d - p.c;
    }
    const id = input.id ?? String(i);
    if (seen.has(id)) throw new RangeError(`duplicate item id ${id}`);
    seen.add(id);
    ids.push(id);
    if (input.topic === undefined) {
      topicOf[i] = -1;
    } else {
      let t = topicIndex.get(input.topic);
      if (t === undefined) {
        t = topics.length;
        topics.push(input.topic);
        topicIndex.set(input.topic, t);
      }
      topicOf[i] = t;
    }
  }
  return { size: n, D, ids, a, b, c, d, da, span, topicOf, topics, items: validated, categories, kind, polyStart, polyData: Float64Array.from(polyData), polytomous };
}

export function bankItem(bank: ItemBank, index: number): Item {
  if (!(Number.isInteger(index) && index >= 0 && index < bank.size)) throw new RangeError(`no item ${index} in bank`);
  return bank.items[index] as Item;
}

export function bankItems(bank: ItemBank, indices: readonly number[]): Item[] {
  return indices.map((i) => bankItem(bank, i));
}
