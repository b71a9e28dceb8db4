// The item bank for teachers and admins: create, list, read and change their organization's items (another
// organization's item is "not found", exactly like a made-up id). Every change bumps the organization's bank
// version, so sessions stop serving a retired or changed item.
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, Page } from '@dreamseed/kit'
import type { ItemFilter } from '../repositories/items-repository.js'
import type { ExamDeps } from './deps.js'
import { ItemInvalidError, ItemNotFoundError, NoOrganizationError, RefTakenError } from '../errors.js'
import { fieldProblems, itemProblems, withDefaults, type ItemContent, type ItemInput, type ItemPatch } from './item-input.js'
import type { ItemView } from './model.js'
import { itemChangedRow } from './item-events.js'
import { indexKeys, resolveKeys } from './item-relations.js'

/** The organization a teacher or admin manages items and exams in. */
export function organizationOf (user: AuthenticatedUser): string {
  if (user.organizationId === null) throw new NoOrganizationError()
  return user.organizationId
}

export async function createItem (deps: ExamDeps, user: AuthenticatedUser, input: ItemInput): Promise<ItemView> {
  const organizationId = organizationOf(user)
  const fields = fieldProblems(input)
  if (fields.length > 0) throw new ItemInvalidError(fields)
  const content = withDefaults(input)
  const problems = itemProblems(content)
  if (problems.length > 0) throw new ItemInvalidError(problems)
  const now = deps.now()
  const id = newEventId()
  const row = await deps.repos.transaction(async (tx) => {
    if (content.ref !== null && (await tx.items.takenRefs(organizationId, [content.ref], [])).items.size > 0) throw new RefTakenError('item')
    const resolved = resolveKeys(await indexKeys(tx, organizationId, [input]), input)
    if ('problems' in resolved) throw new ItemInvalidError(resolved.problems)
    const passagePosition = resolved.passageId === null ? null : await tx.items.nextPassagePosition(resolved.passageId)
    const row: ItemView = { id, organizationId, authorId: user.id, ...content, ...resolved, passagePosition, createdAt: now, updatedAt: now }
    await tx.items.insert(row, itemChangedRow(row, now))
    await tx.items.addEnemy(resolved.enemyIds, id)
    return row
  })
  deps.bank.invalidate(organizationId)
  deps.eventsWritten()
  return row
}

/** The input that gives a stored item (its relations apart): what a change is merged into. */
export function inputOf (item: ItemContent): ItemInput {
  const key = item.key
  return {
    type: item.type,
    ...(item.ref === null ? {} : { ref: item.ref }),
    stem: item.stem,
    ...(item.options.length > 0 ? { options: item.options } : {}),
    ...(item.correctIndex === null ? {} : { correctIndex: item.correctIndex }),
    ...(key !== null && 'correctIndices' in key ? { correctIndices: key.correctIndices, scoring: key.scoring } : {}),
    ...(key !== null && 'value' in key ? { numeric: { value: key.value, tolerance: key.tolerance } } : {}),
    ...(key !== null && 'values' in key ? { numeric: { values: key.values } } : {}),
    ...(key !== null && 'accepted' in key ? { accepted: key.accepted } : {}),
    subject: item.subject,
    topics: item.topics,
    ...(item.irt === null ? { a: item.a, b: item.b, c: item.c, d: item.d } : { irt: item.irt }),
    status: item.status
  }
}

/** A change merged into the stored item's input: new IRT parameters of the other kind replace the old ones. */
function merge (item: ItemContent, patch: ItemPatch): ItemInput {
  const base = inputOf(item)
  if (patch.irt !== undefined) { delete base.a; delete base.b; delete base.c; delete base.d }
  if (patch.b !== undefined && item.irt !== null) delete base.irt
  return { ...base, ...patch }
}

/** One page of the organization's items, in one query whatever its size. */
export async function listItems (deps: ExamDeps, user: AuthenticatedUser, filter: ItemFilter): Promise<Page<ItemView>> {
  return await deps.repos.items.list(organizationOf(user), filter)
}

/** The item, looked up within the user's organization: another organization's is "not found", like a made-up id. */
export async function getItem (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<ItemView> {
  const item = await deps.repos.items.get(id, organizationOf(user))
  if (item === undefined) throw new ItemNotFoundError()
  return item
}

/** Changes some fields; the item as a whole must still be valid. */
export async function updateItem (deps: ExamDeps, user: AuthenticatedUser, id: string, patch: ItemPatch): Promise<ItemView> {
  const organizationId = organizationOf(user)
  const now = deps.now()
  const updated = await deps.repos.transaction(async (tx) => {
    const row = await tx.items.lock(id, organizationId)
    if (row === undefined) throw new ItemNotFoundError()
    const input = merge(row, patch)
    const fields = fieldProblems(input)
    if (fields.length > 0) throw new ItemInvalidError(fields)
    const merged = withDefaults(input)
    const problems = itemProblems(merged)
    if (problems.length > 0) throw new ItemInvalidError(problems)
    const after = { ...row, ...merged, updatedAt: now }
    await tx.items.update(row, { ...merged, updatedAt: now }, itemChangedRow(after, now))
    return after
  })
  deps.bank.invalidate(updated.organizationId)
  deps.eventsWritten()
  return updated
}
