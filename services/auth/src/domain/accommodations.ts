// A student's accommodation profile in their organization: extended time (a multiplier of an exam's time
// limit), extra breaks, and flags clients act on. An admin of the organization, or a teacher of a classroom the
// student belongs to, sets or clears it; the student reads their own. Each change is audited and announced
// (user.accommodations.changed) in its transaction; exam copies the profile onto the sessions it starts.
import { ACCOMMODATION_FLAGS, userAccommodationsChangedV1, type Accommodations } from '@dreamseed/events'
import { assertSameOrganization, ForbiddenError, type AuthenticatedUser } from '@dreamseed/kit'
import type { AccommodationsRow } from '../repositories/accommodations-repository.js'
import type { Repositories } from '../repositories/index.js'
import type { Account } from '../repositories/users-repository.js'
import type { AuthDeps, RequestContext } from './deps.js'
import { currentActor } from './acting-user.js'
import { changeContext, writeEvent, type ChangeContext } from './membership.js'
import { AccommodationsNotFoundError, NotStudentsTeacherError, StudentNotFoundError } from '../errors.js'

export type AccommodationsView = Omit<AccommodationsRow, 'flags'> & Accommodations

// The table holds only flags of the closed list: every write comes through setAccommodations.
const profileOf = (row: AccommodationsRow | undefined): Accommodations | null =>
  row === undefined ? null : { timeMultiplier: row.timeMultiplier, extraBreaks: row.extraBreaks, flags: row.flags as Accommodations['flags'] }

const viewOf = (row: AccommodationsRow): AccommodationsView => ({ ...row, ...profileOf(row)! })

/** Flags in the closed list's order, so a profile reads the same however its flags were sent. */
const ordered = (flags: Accommodations['flags']): Accommodations['flags'] => ACCOMMODATION_FLAGS.filter((f) => flags.includes(f))

/**
 * Whether the user may manage the student's profile: an admin of the organization, or a teacher of one of the
 * student's classrooms (another teacher of the organization is refused, 403). The student must be a student of
 * the organization (404 otherwise, as for anyone outside it).
 */
async function assertManages (repos: Repositories, user: Pick<AuthenticatedUser, 'id' | 'role'>, student: { role: string } | undefined, studentId: string): Promise<void> {
  if (student === undefined || student.role !== 'student') throw new StudentNotFoundError()
  if (user.role === 'teacher' && !await repos.classrooms.teaches(user.id, studentId)) throw new NotStudentsTeacherError()
}

export async function getAccommodations (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, studentId: string): Promise<AccommodationsView> {
  assertSameOrganization(user, organizationId)
  if (user.role === 'student' && user.id !== studentId) throw new ForbiddenError('A student may read only their own accommodations')
  const member = await deps.repos.accommodations.ofMember(organizationId, studentId)
  if (user.role !== 'student') await assertManages(deps.repos, user, member, studentId)
  if (member?.profile == null) throw new AccommodationsNotFoundError()
  return viewOf(member.profile)
}

/**
 * Locks the acting account and the student's, and checks the actor may manage the student's profile; the change
 * that follows is written in the same transaction.
 */
async function lockManaged (tx: Repositories, user: AuthenticatedUser, organizationId: string, studentId: string): Promise<Account> {
  const accounts = await tx.users.lockAccounts([user.id, studentId])
  const actor = currentActor(accounts, user)
  const student = accounts.get(studentId)
  await assertManages(tx, actor, student?.organizationId === organizationId ? student : undefined, studentId)
  return actor
}

async function announce (tx: Repositories, organizationId: string, studentId: string, before: AccommodationsRow | undefined, after: Accommodations | null, ctx: ChangeContext): Promise<void> {
  const actorId = ctx.actorId!
  await writeEvent(tx, userAccommodationsChangedV1, { organizationId, userId: studentId, accommodations: after, changedBy: actorId, changedAt: ctx.now.toISOString() }, studentId, ctx)
  await tx.audit.record({
    action: after === null ? 'accommodations.clear' : 'accommodations.set',
    outcome: 'success',
    actorId,
    subjectUserId: studentId,
    organizationId,
    client: ctx.client,
    details: { before: profileOf(before), after }
  }, ctx.now)
}

/** Sets the student's whole profile (replacing any there was). */
export async function setAccommodations (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, studentId: string, input: Accommodations, request: RequestContext): Promise<AccommodationsView> {
  assertSameOrganization(user, organizationId)
  const ctx = changeContext(deps, user.id, request)
  const profile: Accommodations = { timeMultiplier: input.timeMultiplier, extraBreaks: input.extraBreaks, flags: ordered(input.flags) }
  const written = await deps.repos.transaction(async (tx) => {
    const actor = await lockManaged(tx, user, organizationId, studentId)
    const before = await tx.accommodations.find(organizationId, studentId)
    const row: AccommodationsView = { organizationId, userId: studentId, ...profile, updatedBy: actor.id, updatedAt: ctx.now }
    await tx.accommodations.put(row)
    await announce(tx, organizationId, studentId, before, profile, ctx)
    return row
  })
  deps.eventsWritten()
  return written
}

/** Clears the student's profile; nothing is written (or announced) when there was none. */
export async function clearAccommodations (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, studentId: string, request: RequestContext): Promise<void> {
  assertSameOrganization(user, organizationId)
  const ctx = changeContext(deps, user.id, request)
  const cleared = await deps.repos.transaction(async (tx) => {
    await lockManaged(tx, user, organizationId, studentId)
    const before = await tx.accommodations.remove(organizationId, studentId)
    if (before !== undefined) await announce(tx, organizationId, studentId, before, null, ctx)
    return before !== undefined
  })
  if (cleared) deps.eventsWritten()
}
