// Organizations (schools) and who belongs to them. An admin manages exactly the organization they belong to:
// they list its users, invite addresses into it (invitations.ts; nobody joins without accepting), change
// members' roles and disable members. Creating an organization invites its first admin; the creating admin
// stays in their own organization and gets no rights over the new one.
import { assertSameOrganization, type AuthenticatedUser, type Page, type PageRequest, type Role } from '@dreamseed/kit'
import { newEventId, organizationCreatedV1 } from '@dreamseed/events'
import type { Account, MemberView } from '../repositories/users-repository.js'
import type { AuthDeps, RequestContext } from './deps.js'
import { currentActor } from './acting-user.js'
import { changeContext, changeRole, writeEvent } from './membership.js'
import { refuseTokensIssuedBefore } from './token-revocation.js'
import { lockInviter, lockOrganization, writeInvitation, type InvitationView } from './invitations.js'
import { OwnAccountError, UserNotFoundError } from '../errors.js'

export type { MemberView }

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
  const created = await deps.repos.transaction(async (tx) => {
    const actor = await lockInviter(tx, user)
    await lockOrganization(tx, actor.organizationId)
    const id = newEventId()
    await tx.organizations.insert({ id, name, createdBy: actor.id, now: ctx.now })
    await writeEvent(tx, organizationCreatedV1, { organizationId: id, name, createdBy: actor.id, createdAt: ctx.now.toISOString() }, id, ctx)
    await tx.audit.record({ action: 'organization.create', outcome: 'success', actorId: actor.id, organizationId: id, client: ctx.client, details: { name, createdFrom: actor.organizationId } }, ctx.now)
    const invitation = await writeInvitation(tx, deps, { organization: { id, name }, email: input.adminEmail, role: 'admin', inviter: actor }, ctx)
    return { id, name, createdBy: actor.id, createdAt: ctx.now, invitation }
  })
  deps.eventsWritten()
  return created
}

export async function listOrganizationUsers (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, page: PageRequest): Promise<Page<MemberView>> {
  assertSameOrganization(user, organizationId)
  return await deps.repos.users.listByOrganization(organizationId, page)
}

/** Promotes or demotes a member; an admin cannot change their own role (so an organization always keeps one). */
export async function changeMemberRole (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, memberId: string, role: Role, request: RequestContext): Promise<MemberView> {
  assertSameOrganization(user, organizationId)
  if (memberId === user.id) throw new OwnAccountError()
  const ctx = changeContext(deps, user.id, request)
  const result = await deps.repos.transaction(async (tx) => {
    const accounts = await tx.users.lockAccounts([user.id, memberId])
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
