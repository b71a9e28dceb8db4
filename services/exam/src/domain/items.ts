// The item bank for teachers and admins: create, list, read and change their organization's items (another
// organization's item is "not found", exactly like a made-up id). Every change bumps the organization's bank
// version, so sessions stop serving a retired or changed item.
import { and, arrayContains, asc, eq, gt, type SQL } from 'drizzle-orm'
import { examOutbox, items } from '@dreamseed/schema/exam'
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { ItemInvalidError, ItemNotFoundError, NoOrganizationError } from '../errors.js'
import { itemProblems, withDefaults, type ItemInput, type ItemPatch, type ItemStatus } from './item-input.js'
import { bumpBankVersion } from '../repositories/item-bank-repository.js'
import type { ItemView } from './model.js'
import { itemChangedRow } from './item-events.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'

export const itemColumns = {
  id: items.id,
  organizationId: items.organizationId,
  authorId: items.authorId,
  stem: items.stem,
  options: items.options,
  correctIndex: items.correctIndex,
  subject: items.subject,
  topics: items.topics,
  a: items.a,
  b: items.b,
  c: items.c,
  d: items.d,
  status: items.status,
  createdAt: items.createdAt,
  updatedAt: items.updatedAt
}

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
  await deps.db.transaction(async (tx) => {
    await tx.insert(items).values(row)
    await bumpBankVersion(tx, organizationId, now)
    await tx.insert(examOutbox).values(itemChangedRow(row, now))
  })
  deps.bank.invalidate(organizationId)
  deps.eventsWritten()
  return row
}

export interface ItemFilter extends PageRequest {
  subject?: string
  topic?: string
  status?: ItemStatus
}

/** One page of the organization's items, in one query whatever its size. */
export async function listItems (deps: ExamDeps, user: AuthenticatedUser, filter: ItemFilter): Promise<Page<ItemView>> {
  const organizationId = organizationOf(user)
  const limit = pageSize(filter)
  const conditions: SQL[] = [eq(items.organizationId, organizationId)]
  if (filter.cursor !== undefined) conditions.push(gt(items.id, filter.cursor))
  if (filter.subject !== undefined) conditions.push(eq(items.subject, filter.subject))
  if (filter.status !== undefined) conditions.push(eq(items.status, filter.status))
  if (filter.topic !== undefined) conditions.push(arrayContains(items.topics, [filter.topic]))
  const rows = await deps.db.select(itemColumns).from(items).where(and(...conditions)).orderBy(asc(items.id)).limit(limit + 1)
  return toPage(rows, limit)
}

/** The item, looked up within the user's organization: another organization's is "not found", like a made-up id. */
export async function getItem (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<ItemView> {
  const [row] = await deps.db.select(itemColumns).from(items).where(and(eq(items.id, id), eq(items.organizationId, organizationOf(user))))
  if (row === undefined) throw new ItemNotFoundError()
  return row
}

/** Changes some fields; the item as a whole must still be valid. */
export async function updateItem (deps: ExamDeps, user: AuthenticatedUser, id: string, patch: ItemPatch): Promise<ItemView> {
  const organizationId = organizationOf(user)
  const now = deps.now()
  const updated = await deps.db.transaction(async (tx) => {
    const [row] = await tx.select(itemColumns).from(items).where(and(eq(items.id, id), eq(items.organizationId, organizationId))).for('update')
    if (row === undefined) throw new ItemNotFoundError()
    const merged = withDefaults({ ...row, ...patch })
    const problems = itemProblems(merged)
    if (problems.length > 0) throw new ItemInvalidError(problems)
    await tx.update(items).set({ ...merged, updatedAt: now }).where(eq(items.id, id))
    await bumpBankVersion(tx, row.organizationId, now)
    const after = { ...row, ...merged, updatedAt: now }
    await tx.insert(examOutbox).values(itemChangedRow(after, now))
    return after
  })
  deps.bank.invalidate(updated.organizationId)
  deps.eventsWritten()
  return updated
}
