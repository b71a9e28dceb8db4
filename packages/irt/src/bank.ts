// The item bank as flat typed arrays with D*a and d-c precomputed: item selection scans
// thousands of items per step and must not chase objects or allocate.

import { toItemParams } from './model.js';
import type { ItemInput, ItemParams } from './model.js';

export interface BankItemInput extends ItemInput {
  readonly id?: string;
  /** Content area used by content balancing. */
  readonly topic?: string;
}

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
  for (let i = 0; i < n; i++) {
    const input = items[i] as BankItemInput;
    const p = toItemParams(input);
    a[i] = p.a;
    b[i] = p.b;
    c[i] = p.c;
    d[i] = p.d;
    da[i] = D * p.a;
    span[i] = p.d - p.c;
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
  return { size: n, D, ids, a, b, c, d, da, span, topicOf, topics };
}

export function bankItem(bank: ItemBank, index: number): ItemParams {
  if (!(index >= 0 && index < bank.size)) throw new RangeError(`no item ${index} in bank`);
  return {
    a: bank.a[index] as number,
    b: bank.b[index] as number,
    c: bank.c[index] as number,
    d: bank.d[index] as number,
  };
}

export function bankItems(bank: ItemBank, indices: readonly number[]): ItemParams[] {
  return indices.map((i) => bankItem(bank, i));
}
