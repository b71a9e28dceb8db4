// The invited side: the signed-in owner of an address sees the invitations open for it, and accepts or
// declines one. Accepting is the account owner's consent to join; it needs a verified account with the invited
// address in no organization, and an inviter who is still an admin of the organization they invited from.
// Then it does what every way into an organization does (membership.ts), and the invitation is used up.
import { type AuthenticatedUser, type Page, type PageRequest, type Role, SessionRevokedError } from '@dreamseed/kit'
import type { Repositories } from '../repositories/index.js'
import type { ReceivedInvitation } from '../repositories/invitations-repository.js'
import type { Account } from '../repositories/users-repository.js'
import type { AuthDeps, RequestContext } from './deps.js'
import { admitToOrganization, changeContext, type ChangeContext } from './membership.js'
import { refuseTokensIssuedBefore } from './token-revocation.js'
import { AlreadyMemberError, EmailNotVerifiedError, InAnotherOrganizationError, InvitationExpiredError, InvitationNotFoundError, InvitationWithdrawnError } from '../errors.js'

export type { ReceivedInvitation }

export interface Accepted {
  organization: { id: string, name: string }
  role: Role
}

/** The invitations open for the signed-in account's address, oldest first, in one query per page. */
export async function listMyInvitations (deps: AuthDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<ReceivedInvitation>> {
  return await deps.repos.invitations.listReceived(user.id, deps.now(), page)
}

/** The account (locked) and its invitation (locked), or the error that says why it cannot be answered. */
async function lockOwnInvitation (tx: Repositories, user: AuthenticatedUser, invitationId: string, now: Date) {
  const account = (await tx.users.lockAccounts([user.id])).get(user.id)
  if (account === undefined || account.disabledAt !== null) throw new SessionRevokedError()
  // The inviter is read, not locked: a demotion committed a moment later orders after this acceptance.
  const invitation = await tx.invitations.lockWithInviter(invitationId)
  // Another address's invitation is answered as if it did not exist: its id tells nothing.
  if (invitation === undefined || invitation.email !== account.email) throw new InvitationNotFoundError()
  if (invitation.expiresAt.getTime() <= now.getTime()) throw new InvitationExpiredError()
  return { account, invitation }
}

export async function acceptInvitation (deps: AuthDeps, user: AuthenticatedUser, invitationId: string, request: RequestContext): Promise<Accepted> {
  const ctx = changeContext(deps, user.id, request)
  const accepted = await deps.repos.transaction(async (tx) => {
    const { account, invitation } = await lockOwnInvitation(tx, user, invitationId, ctx.now)
    const from = invitation.inviter
    if (from.role !== 'admin' || from.disabledAt !== null || from.organizationId !== invitation.inviterOrganizationId) throw new InvitationWithdrawnError()
    assertMayJoin(account, invitation.organizationId)
    await tx.invitations.delete(invitation.id)
    // The membership, its event and its audit entry name the admin who chose the role; the acceptance is the owner's.
    const admitted: ChangeContext = { actorId: from.id, requestId: ctx.requestId, now: ctx.now }
    await admitToOrganization(tx, account, invitation.organizationId, invitation.role, 'admin', admitted)
    await tx.audit.record({ action: 'invitation.accept', outcome: 'success', actorId: account.id, subjectUserId: account.id, organizationId: invitation.organizationId, client: ctx.client, details: { invitationId: invitation.id, role: invitation.role, invitedBy: from.id } }, ctx.now)
    return { organization: { id: invitation.organizationId, name: invitation.organizationName }, role: invitation.role }
  })
  deps.eventsWritten()
  // Tokens issued until now carry no organization (and maybe another role): the owner refreshes for one that does.
  await refuseTokensIssuedBefore(deps, user.id, ctx.now)
  return accepted
}

function assertMayJoin (account: Account, organizationId: string): void {
  if (account.emailVerifiedAt === null) throw new EmailNotVerifiedError()
  if (account.organizationId === organizationId) throw new AlreadyMemberError()
  if (account.organizationId !== null) throw new InAnotherOrganizationError()
}

export async function declineInvitation (deps: AuthDeps, user: AuthenticatedUser, invitationId: string, request: RequestContext): Promise<void> {
  const ctx = changeContext(deps, user.id, request)
  await deps.repos.transaction(async (tx) => {
    const { account, invitation } = await lockOwnInvitation(tx, user, invitationId, ctx.now)
    await tx.invitations.delete(invitation.id)
    await tx.audit.record({ action: 'invitation.decline', outcome: 'success', actorId: account.id, subjectUserId: account.id, organizationId: invitation.organizationId, client: ctx.client, details: { invitationId: invitation.id, role: invitation.role } }, ctx.now)
  })
}
