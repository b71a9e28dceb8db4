// Organizations (schools) and who belongs to them. An admin manages exactly the organization they belong to:
// they list its users, invite addresses into it (invitations.ts; nobody joins without accepting), change
// members' roles and disable members. Creating an organization invites its first admin; the creating admin
// stays in their own organization and gets no rights over the new one.
import { and, asc, eq, gt } from 'drizzle-orm'
import { organizations, users } from '@dreamseed/schema/auth'
import { assertSameOrganization, type AuthenticatedUser, type Role } from '@dreamseed/kit'
import { newEventId, organizationCreatedV1 } from '@dreamseed/events'
import type { AuthDeps, RequestMeta } from './deps.js'
import { recordAudit, type ClientInfo } from './audit.js'
import { currentActor, lockAccounts, type Account } from './acting-user.js'
import { changeContext, changeRole, writeEvent } from './membership.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'
import { refuseTokensIssuedBefore } from './token-revocation.js'
import { lockInviter, lockOrganization, writeInvitation, type InvitationView } from './invitations.js'
import { OwnAccountError, UserNotFoundError } from '../errors.js'

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

export interface CreatedOrganization {
  id: string
  name: string
  createdBy: string
  createdAt: Date
  /** The invitation of its first admin, the same whether or not an account uses the address. */
  invitation: InvitationView
}

/**
 * Creates an organization and invites its first admin from the creator's organization (counted against its
 * pending invitations). The organization has no member until that invitation is accepted.
 */
export async function createOrganization (deps: AuthDeps, user: AuthenticatedUser, input: { name: string, adminEmail: string }, request: RequestContext): Promise<CreatedOrganization> {
  const ctx = changeContext(deps, user.id, request)
  const name = input.name.trim()
  const created = await deps.db.transaction(async (tx) => {
    const actor = await lockInviter(tx, user)
    await lockOrganization(tx, actor.organizationId)
    const id = newEventId()
    await tx.insert(organizations).values({ id, name, createdBy: actor.id, createdAt: ctx.now })
    await writeEvent(tx, organizationCreatedV1, { organizationId: id, name, createdBy: actor.id, createdAt: ctx.now.toISOString() }, id, ctx)
    await recordAudit(tx, { action: 'organization.create', outcome: 'success', actorId: actor.id, organizationId: id, client: ctx.client, details: { name, createdFrom: actor.organizationId } }, ctx.now)
    const invitation = await writeInvitation(tx, deps, { organization: { id, name }, email: input.adminEmail, role: 'admin', inviter: actor }, ctx)
    return { id, name, createdBy: actor.id, createdAt: ctx.now, invitation }
  })
  deps.eventsWritten()
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

/** Promotes or demotes a member; an admin cannot change their own role (so an organization always keeps one). */
export async function changeMemberRole (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, memberId: string, role: Role, request: RequestContext): Promise<MemberView> {
  assertSameOrganization(user, organizationId)
  if (memberId === user.id) throw new OwnAccountError()
  const ctx = changeContext(deps, user.id, request)
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
