// The passage and the enemies an item input names, by id or by ref, resolved within the organization (and, for
// an import, among the import's own passages and items): one lookup per kind, whatever their number.
import type { ErrorDetail } from '@dreamseed/kit'
import type { TxRepositories } from '../repositories/index.js'

/** What an input names: a passage, enemies. */
export interface RelationKeys {
  passage?: string | undefined
  enemies?: string[] | undefined
}

/** Ids found for keys: the organization's, and an import's own refs (which are new, so they win). */
export interface KeyIndex {
  passages: Map<string, string>
  items: Map<string, string>
}

/** Looks every key up once. */
export async function indexKeys (tx: Pick<TxRepositories, 'items'>, organizationId: string, wants: RelationKeys[], own: KeyIndex = { passages: new Map(), items: new Map() }): Promise<KeyIndex> {
  const passageKeys = new Set<string>()
  const itemKeys = new Set<string>()
  for (const w of wants) {
    if (w.passage !== undefined && !own.passages.has(w.passage)) passageKeys.add(w.passage)
    for (const e of w.enemies ?? []) if (!own.items.has(e)) itemKeys.add(e)
  }
  const found = await tx.items.findKeys(organizationId, [...passageKeys], [...itemKeys])
  return { passages: new Map([...found.passages, ...own.passages]), items: new Map([...found.items, ...own.items]) }
}

/** The ids an input names, or what it names that the organization does not have. */
export function resolveKeys (index: KeyIndex, wants: RelationKeys, self?: string): { passageId: string | null, enemyIds: string[] } | { problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = []
  const passageId = wants.passage === undefined ? null : index.passages.get(wants.passage) ?? null
  if (wants.passage !== undefined && passageId === null) problems.push({ path: 'passage', message: 'is not a passage of your organization' })
  const enemyIds: string[] = []
  ;(wants.enemies ?? []).forEach((key, i) => {
    const id = index.items.get(key)
    if (id === undefined) problems.push({ path: `enemies.${i}`, message: 'is not an item of your organization' })
    else if (id === self) problems.push({ path: `enemies.${i}`, message: 'is this item itself' })
    else if (!enemyIds.includes(id)) enemyIds.push(id)
  })
  return problems.length > 0 ? { problems } : { passageId, enemyIds }
}
