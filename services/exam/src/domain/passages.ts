// Passages for teachers and admins: create, list and read their organization's (another organization's is
// "not found", exactly like a made-up id). Items join a passage by naming it (its id or ref) when they are
// created or imported.
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, Page, PageRequest } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { PassageNotFoundError, RefTakenError } from '../errors.js'
import { organizationOf } from './items.js'
import type { PassageView } from './model.js'
import type { PassageInput } from './passage-input.js'

export async function createPassage (deps: ExamDeps, user: AuthenticatedUser, input: PassageInput): Promise<PassageView> {
  const organizationId = organizationOf(user)
  const ref = input.ref?.trim() ?? null
  const now = deps.now()
  const row: PassageView = { id: newEventId(), organizationId, authorId: user.id, ref, title: input.title?.trim() ?? null, stimulus: input.stimulus, createdAt: now, updatedAt: now }
  await deps.repos.transaction(async (tx) => {
    if (ref !== null && (await tx.items.takenRefs(organizationId, [], [ref])).passages.size > 0) throw new RefTakenError('passage')
    await tx.passages.insert(row)
  })
  return row
}

export async function listPassages (deps: ExamDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<PassageView>> {
  return await deps.repos.passages.list(organizationOf(user), page)
}

export async function getPassage (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<PassageView> {
  const passage = await deps.repos.passages.get(id, organizationOf(user))
  if (passage === undefined) throw new PassageNotFoundError()
  return passage
}
