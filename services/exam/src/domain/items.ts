// The item bank for teachers and admins: create, list, read and change their organization's items (another
// organization's item is "not found", exactly like a made-up id). Every change bumps the organization's bank
// version, so sessions stop serving a retired or changed item.
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, Page } from '@dreamseed/kit'
import type { ItemFilter } from '../repositories/items-repository.js'
import type { ExamDeps } from './deps.js'
import { ItemInvalidError, ItemNotFoundError, NoOrganizationError } from '../errors.js'
import { itemProblems, withDefaults, type ItemInput, type ItemPatch } from './item-input.js'
import type { ItemView } from './model.js'
import { itemChangedRow } from './item-events.js'

/** The organization a teacher or admin manages items and exams in. */
export function organizationOf (user: AuthenticatedUser): string {
  if (user.organizationId === null) throw new NoOrganizationError()
  return user.organizationId
}

export async function createItem (deps: ExamDeps, user: AuthenticatedUser, input: ItemInput): Promise<ItemView> {
  const organizationId = organizationOf(user)
  const content = withDefaults(input)
  const problems = itemProblems(content)
  if (problems.length > 0) throw new ItemInvalidError(problems)
  const now = deps.now()
  const row = { id: newEventId(), organizationId, authorId: user.id, ...content, createdAt: now, updatedAt: now }
  await deps.repos.transaction(async (tx) => { await tx.items.insert(row, itemChangedRow(row, now)) })
  deps.bank.invalidate(organizationId)
  deps.eventsWritten()
  return row
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
    const merged = withDefaults({ ...row, ...patch })
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
