// The organization's items (of a subject and status, if asked) as a QTI 3.0 package (qti/): each item with its
// passage and its enemies among the items exported, named by their refs (an item or passage without one by its
// id), so importing the package elsewhere gives the same items, passages and enemies. Two queries; at most the
// import's item cap, so what one exports can be imported again.
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { ExportTooLargeError } from '../errors.js'
import { inputOf, organizationOf } from './items.js'
import type { ItemStatus } from './item-input.js'
import type { ItemView } from './model.js'
import { passageGroups } from './item-pool.js'
import { writeQtiPackage, type ItemLine } from './qti/index.js'

export async function exportItems (deps: ExamDeps, user: AuthenticatedUser, filter: { subject?: string, status?: ItemStatus }): Promise<Uint8Array> {
  const organizationId = organizationOf(user)
  const rows = await deps.repos.items.all(organizationId, filter, deps.importMaxItems + 1)
  if (rows.length > deps.importMaxItems) throw new ExportTooLargeError(deps.importMaxItems)
  const passageIds = [...new Set(rows.flatMap((r) => (r.passageId === null ? [] : [r.passageId])))]
  const passages = await deps.repos.passages.byIds(passageIds, organizationId)
  const passageRef = new Map(passages.map((p) => [p.id, p.ref ?? p.id]))
  const itemRef = new Map(rows.map((r) => [r.id, r.ref ?? r.id]))
  return writeQtiPackage({
    passages: passages.map((p) => ({ kind: 'passage' as const, ref: passageRef.get(p.id)!, ...(p.title === null ? {} : { title: p.title }), stimulus: p.stimulus })),
    items: inPassageOrder(rows).map((r): ItemLine => {
      const enemies = r.enemyIds.filter((id) => itemRef.has(id)).map((id) => itemRef.get(id)!)
      return {
        ...(inputOf(r) as Omit<ItemLine, 'ref' | 'type'>),
        type: r.type,
        ref: itemRef.get(r.id)!,
        ...(r.passageId === null ? {} : { passage: passageRef.get(r.passageId)! }),
        ...(enemies.length === 0 ? {} : { enemies })
      }
    })
  })
}

/** Items in id order, except that a passage's items stand in the passage's order, so an import gives them the same places. */
function inPassageOrder (rows: ItemView[]): ItemView[] {
  const groups = passageGroups(rows)
  const cursor = new Map([...groups.keys()].map((k) => [k, 0]))
  return rows.map((r) => {
    if (r.passageId === null) return r
    const i = cursor.get(r.passageId)!
    cursor.set(r.passageId, i + 1)
    return groups.get(r.passageId)![i]!
  })
}
