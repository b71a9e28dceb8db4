// Enemy items: groups of items of which one test may hold at most one (items that give
// each other away, or ask the same thing twice). Once one is administered the others
// are excluded from selection, like items already given.

import type { ItemBank } from './bank.js';

/** For item i, its enemies are list[start[i] .. start[i + 1]) (bank indices). */
export interface EnemyIndex {
  readonly start: Int32Array;
  readonly list: Int32Array;
}

/** Builds the index from groups of bank item ids; an item may sit in several groups. */
export function enemyIndex(bank: ItemBank, groups: readonly (readonly string[])[]): EnemyIndex {
  const byId = new Map(bank.ids.map((id, i) => [id, i]));
  const sets: Set<number>[] = Array.from({ length: bank.size }, () => new Set<number>());
  for (const group of groups) {
    const members = [...new Set(group)].map((id) => {
      const i = byId.get(id);
      if (i === undefined) throw new RangeError(`enemy group names unknown item ${id}`);
      return i;
    });
    if (members.length < 2) throw new RangeError('an enemy group needs at least two different items');
    for (const i of members) for (const j of members) if (i !== j) sets[i]!.add(j);
  }
  const start = new Int32Array(bank.size + 1);
  for (let i = 0; i < bank.size; i++) start[i + 1] = (start[i] as number) + sets[i]!.size;
  const list = new Int32Array(start[bank.size] as number);
  sets.forEach((set, i) => list.set([...set].sort((a, b) => a - b), start[i] as number));
  return { start, list };
}

/** Marks the enemies of `item` in `excluded` (after `item` was administered). */
export function excludeEnemies(excluded: Uint8Array, index: EnemyIndex, item: number): void {
  for (let k = index.start[item] as number; k < (index.start[item + 1] as number); k++) excluded[index.list[k] as number] = 1;
}
