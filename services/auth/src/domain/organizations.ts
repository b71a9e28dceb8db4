// Organizations (schools) and who belongs to them. An admin manages exactly the organization they belong to:
// they list its users, add verified accounts that belong to no organization yet, change members' roles and
// disable members. Creating an organization names its first admin (a verified account outside any
// organization); the creating admin stays in their own organization and gets no rights over the new one.
import { and, asc, eq, gt } from 'drizzle-orm'
import { organizations, users } from '@dreamseed/schema/auth'
import { assertSameOrganization, type AuthenticatedUser, type Role } from '@dreamseed/kit'
import { newEventId, organizationCreatedV1 } from '@dreamseed/events'
import type { AuthDeps, RequestMeta } from './deps.js'
import { recordAudit, type ClientInfo } from './audit.js'
import { normalizeEmail } from './email.js'
import { currentActor, lockAccounts, type Account } from './acting-user.js'
import { admitToOrganization, changeRole, writeEvent, type ChangeContext } from './membership.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'
import { refuseTokensIssuedBefore } from './token-revocation.js'
import { AccountNotAvailableError, AlreadyMemberError, OwnAccountError, UserNotFoundError } from './organization-errors.js'
import type { Tx } from './verification-link.js'

export type RequestContext = RequestMeta & { client: ClientInfo }

export interface MemberView {
  id: string
  email: string
  displayName: string
  role: Role
  organizationId: string | null
  disabledAt: Date | null
  createdAt: Date
}

const memberColumns = { id: users.id, email: users.email, displayName: users.displayName, role: users.role, organizationId: users.organizationId, disabledAt: users.disabledAt, createdAt: users.createdAt }
const memberView = (a: Account): MemberView => ({ id: a.id, email: a.email, displayName: a.displayName, role: a.role, organizationId: a.organizationId, disabledAt: a.disabledAt, createdAt: a.createdAt })

const context = (deps: AuthDeps, actorId: string, request: RequestContext): ChangeContext => ({ actorId, client: request.client, requestId: request.requestId, now: deps.now() })

/** Locks the acting admin and the account with this address (if any); the account, when it may join an organization. */
async function lockActorAndCandidate (tx: Tx, user: AuthenticatedUser, email: string): Promise<{ actor: Account, candidate: Account | undefined }> {
  const [found] = await tx.select({ id: users.id }).from(users).where(eq(users.email, normalizeEmail(email)))
  const accounts = await lockAccounts(tx, found === undefined ? [user.id] : [user.id, found.id])
  const actor = currentActor(accounts, user)
  return { actor, candidate: found === undefined ? undefined : accounts.get(found.id) }
}

const mayJoin = (account: Account | undefined): account is Account =>
  account !== undefined && account.emailVerifiedAt !== null && account.disabledAt === null && account.organizationId === null

export interface CreatedOrganization {
  id: string
  name: string
  createdBy: string
  createdAt: Date
  admin: { id: string, email: string, displayName: string }
}

export async function createOrganization (deps: AuthDeps, user: AuthenticatedUser, input: { name: string, adminEmail: string }, request: RequestContext): Promise<CreatedOrganization> {
  const ctx = context(deps, user.id, request)
  const name = input.name.trim()
  const created = await deps.db.transaction(async (tx) => {
    const { actor, candidate } = await lockActorAndCandidate(tx, user, input.adminEmail)
    if (!mayJoin(candidate)) throw new AccountNotAvailableError()
    const id = newEventId()
    await tx.insert(organizations).values({ id, name, createdBy: actor.id, createdAt: ctx.now })
    await writeEvent(tx, organizationCreatedV1, { organizationId: id, name, createdBy: actor.id, createdAt: ctx.now.toISOString() }, id, ctx)
    await recordAudit(tx, { action: 'organization.create', outcome: 'success', actorId: actor.id, subjectUserId: candidate.id, organizationId: id, client: ctx.client, details: { name, createdFrom: actor.organizationId } }, ctx.now)
    await admitToOrganization(tx, candidate, id, 'admin', 'admin', ctx)
    return { id, name, createdBy: actor.id, createdAt: ctx.now, admin: { id: candidate.id, email: candidate.email, displayName: candidate.displayName } }
  })
  deps.eventsWritten()
  await refuseTokensIssuedBefore(deps, created.admin.id, ctx.now)
  return created
}

export async function listOrganizationUsers (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, page: PageRequest): Promise<Page<MemberView>> {
  assertSameOrganization(user, organizationId)
  const limit = pageSize(page)
  const conditions = [eq(users.organizationId, organizationId)]
  if (page.cursor !== undefined) conditions.push(gt(users.id, page.cursor))
  const rows = await deps.db.select(memberColumns).from(users).where(and(...conditions)).orderBy(asc(users.id)).limit(limit + 1)
  return toPage(rows, limit)
}

/** Adds a verified account that belongs to no organization yet to the admin's organization, as a teacher or an admin. */
export async function addMember (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, input: { email: string, role: 'teacher' | 'admin' }, request: RequestContext): Promise<MemberView> {
  assertSameOrganization(user, organizationId)
  const ctx = context(deps, user.id, request)
  const member = await deps.db.transaction(async (tx) => {
    const { candidate } = await lockActorAndCandidate(tx, user, input.email)
    if (candidate?.organizationId === organizationId) throw new AlreadyMemberError()
    if (!mayJoin(candidate)) throw new AccountNotAvailableError()
    await admitToOrganization(tx, candidate, organizationId, input.role, 'admin', ctx)
    return memberView({ ...candidate, organizationId, role: input.role })
  })
  deps.eventsWritten()
  await refuseTokensIssuedBefore(deps, member.id, ctx.now)
  return member
}

/** Promotes or demotes a member; an admin cannot change their own role (so an organization always keeps one). */
export async function changeMemberRole (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, memberId: string, role: Role, request: RequestContext): Promise<MemberView> {
  assertSameOrganization(user, organizationId)
  if (memberId === user.id) throw new OwnAccountError()
  const ctx = context(deps, user.id, request)
  const result = await deps.db.transaction(async (tx) => {
    const accounts = await lockAccounts(tx, [user.id, memberId])
    currentActor(accounts, user)
    const member = accounts.get(memberId)
    if (member === undefined || member.organizationId !== organizationId) throw new UserNotFoundError()
    const changed = member.role !== role
    if (changed) await changeRole(tx, member, organizationId, role, ctx)
    return { member: memberView({ ...member, role }), changed }
  })
  if (result.changed) {
    deps.eventsWritten()
    await refuseTokensIssuedBefore(deps, memberId, ctx.now)
  }
  return result.member
}
