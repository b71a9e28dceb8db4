// Admins invite an address into their organization with a role; nobody enters an organization without
// accepting (invitation-answers.ts). Inviting looks no account up, so the answer, the work and the mail are the
// same whether an account uses the address, is unverified, or belongs to an organization already: an admin
// learns nothing about who has an account. Inviting the same address again refreshes the invitation (role,
// inviter, expiry) and mails again only after the resend interval. An organization's admins have at most
// `maxPending` invitations out at once, counted under a lock on their organization's row (any replica).
import { userInvitedV1 } from '@dreamseed/events'
import { assertSameOrganization, type AuthenticatedUser, type Page, type PageRequest } from '@dreamseed/kit'
import type { Repositories } from '../repositories/index.js'
import type { InvitationView, InvitedRole, PendingInvitation } from '../repositories/invitations-repository.js'
import type { Account } from '../repositories/users-repository.js'
import type { AuthDeps, RequestContext } from './deps.js'
import { normalizeEmail } from './email.js'
import { lockActor } from './acting-user.js'
import { changeContext, writeEvent, type ChangeContext } from './membership.js'
import { InvitationNotFoundError, NoOrganizationError, TooManyInvitationsError } from '../errors.js'

export type { InvitationView, InvitedRole, PendingInvitation }

/** The acting admin, locked and current; an admin outside any organization has nobody to invite for. */
export async function lockInviter (tx: Repositories, user: AuthenticatedUser): Promise<Account & { organizationId: string }> {
  const actor = await lockActor(tx, user)
  if (actor.organizationId === null) throw new NoOrganizationError()
  return { ...actor, organizationId: actor.organizationId }
}

/** Locks an organization's row (serializing its admins' invitations) and returns its name. */
export async function lockOrganization (tx: Repositories, id: string): Promise<{ id: string, name: string }> {
  const organization = await tx.organizations.lock(id)
  if (organization === undefined) throw new NoOrganizationError()
  return organization
}

/**
 * Writes (or refreshes) the invitation of `email` into `organization` and, unless one went out within the
 * resend interval, the event that mails it. Runs in the caller's transaction, with the inviter and the
 * inviter's organization locked (lockInviter, lockOrganization), so the count of pending invitations holds.
 */
export async function writeInvitation (tx: Repositories, deps: AuthDeps, input: { organization: { id: string, name: string }, email: string, role: InvitedRole, inviter: Account & { organizationId: string } }, ctx: ChangeContext): Promise<InvitationView> {
  const { organization, inviter, role } = input
  const email = normalizeEmail(input.email)
  const settings = deps.invitations
  await tx.invitations.deleteExpired(inviter.organizationId, ctx.now)
  const existing = await tx.invitations.lockFor(organization.id, email)
  if (existing === undefined && await tx.invitations.countSentBy(inviter.organizationId) >= settings.maxPending) throw new TooManyInvitationsError(settings.maxPending)
  const mail = existing === undefined || existing.mailedAt.getTime() <= ctx.now.getTime() - settings.resendIntervalSeconds * 1000
  const expiresAt = new Date(ctx.now.getTime() + settings.ttlHours * 3600_000)
  const id = await tx.invitations.upsert({ organizationId: organization.id, email, role, invitedBy: inviter.id, inviterOrganizationId: inviter.organizationId, expiresAt, ...(mail ? { mailedAt: ctx.now } : {}), now: ctx.now })
  if (mail) {
    await writeEvent(tx, userInvitedV1, { invitationId: id, email, organizationId: organization.id, organizationName: organization.name, role, invitedBy: inviter.id, inviterName: inviter.displayName, expiresAt: expiresAt.toISOString() }, id, ctx)
  }
  await tx.audit.record({ action: 'organization.invite', outcome: 'success', actorId: inviter.id, organizationId: organization.id, client: ctx.client, details: { invitationId: id, email, role, mailed: mail } }, ctx.now)
  return { id, organizationId: organization.id, email, role, expiresAt }
}

/** An admin invites an address into their organization as a teacher or an admin. */
export async function inviteMember (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, input: { email: string, role: InvitedRole }, request: RequestContext): Promise<InvitationView> {
  assertSameOrganization(user, organizationId)
  const ctx = changeContext(deps, user.id, request)
  const invited = await deps.repos.transaction(async (tx) => {
    const inviter = await lockInviter(tx, user)
    const organization = await lockOrganization(tx, inviter.organizationId)
    return await writeInvitation(tx, deps, { organization, email: input.email, role: input.role, inviter }, ctx)
  })
  deps.eventsWritten()
  return invited
}

/** The organization's invitations still open, a page at a time. */
export async function listInvitations (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, page: PageRequest): Promise<Page<PendingInvitation>> {
  assertSameOrganization(user, organizationId)
  return await deps.repos.invitations.listOpen(organizationId, deps.now(), page)
}

/** An admin withdraws an invitation of their organization; it can no longer be accepted. */
export async function withdrawInvitation (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, invitationId: string, request: RequestContext): Promise<void> {
  assertSameOrganization(user, organizationId)
  const ctx = changeContext(deps, user.id, request)
  await deps.repos.transaction(async (tx) => {
    const inviter = await lockInviter(tx, user)
    const gone = await tx.invitations.deleteOf(invitationId, inviter.organizationId)
    if (gone === undefined) throw new InvitationNotFoundError()
    await tx.audit.record({ action: 'invitation.withdraw', outcome: 'success', actorId: inviter.id, organizationId, client: ctx.client, details: { invitationId, email: gone.email, role: gone.role } }, ctx.now)
  })
}
