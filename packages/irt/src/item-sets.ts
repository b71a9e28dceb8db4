// Item sets (testlets): items that belong together, such as the questions on one reading
// passage, are given one after the other. The first item of a set enters the test on its
// own information like any other; the set's other items then follow in the order listed.

import type { ItemBank } from './bank.js';

export interface ItemSetIndex {
  /** Set of each bank item, or -1. */
  readonly setOf: Int32Array;
  /** Bank indices of each set's items, in the order listed. */
  readonly members: readonly Int32Array[];
}

/** Builds the index from lists of bank item ids; an item belongs to one set at most. */
export function itemSetIndex(bank: ItemBank, sets: readonly (readonly string[])[]): ItemSetIndex {
  const byId = new Map(bank.ids.map((id, i) => [id, i]));
  const setOf = new Int32Array(bank.size).fill(-1);
  const members = sets.map((set, s) => {
    if (set.length < 2) throw new RangeError('an item set needs at least two items');
    return Int32Array.from(set, (id) => {
      const i = byId.get(id);
      if (i === undefined) throw new RangeError(`item set names unknown item ${id}`);
      if (setOf[i] !== -1) throw new RangeError(`item ${id} is in more than one item set`);
      setOf[i] = s;
      return i;
    });
  });
  return { setOf, members };
}

/** The first item of `item`'s set that is not excluded (given, enemy, passed over), or -1. */
export function pendingSetItem(index: ItemSetIndex, item: number, excluded: Uint8Array): number {
  const s = index.setOf[item] as number;
  if (s < 0) return -1;
  for (const i of index.members[s] as Int32Array) if (excluded[i] === 0) return i;
  return -1;
}
