// The invited side: the signed-in owner of an address sees the invitations open for it, and accepts or
// declines one. Accepting is the account owner's consent to join; it needs a verified account with the invited
// address in no organization, and an inviter who is still an admin of the organization they invited from.
// Then it does what every way into an organization does (membership.ts), and the invitation is used up.
import { and, asc, eq, gt } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import { invitations, organizations, users } from '@dreamseed/schema/auth'
import { pageSize, toPage, type AuthenticatedUser, type Page, type PageRequest, type Role } from '@dreamseed/kit'
import type { AuthDeps } from './deps.js'
import { recordAudit } from './audit.js'
import { lockAccounts, type Account } from './acting-user.js'
import { admitToOrganization, changeContext, type ChangeContext } from './membership.js'
import type { RequestContext } from './organizations.js'
import { refuseTokensIssuedBefore } from './token-revocation.js'
import type { Tx } from './verification-link.js'
import { AlreadyMemberError, EmailNotVerifiedError, InAnotherOrganizationError, InvitationExpiredError, InvitationNotFoundError, InvitationWithdrawnError } from '../errors.js'
import { SessionRevokedError } from '@dreamseed/kit'

export interface ReceivedInvitation {
  id: string
  organization: { id: string, name: string }
  role: Role
  invitedBy: { id: string, displayName: string }
  expiresAt: Date
  createdAt: Date
}

export interface Accepted {
  organization: { id: string, name: string }
  role: Role
}

const me = alias(users, 'me')
const inviter = alias(users, 'inviter')
// Postgres wants FOR UPDATE OF to name a relation without its schema: an alias names only the invitation row.
const locked = alias(invitations, 'invitation')

/** The invitations open for the signed-in account's address, oldest first, in one query per page. */
export async function listMyInvitations (deps: AuthDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<ReceivedInvitation>> {
  const limit = pageSize(page)
  const conditions = [eq(me.id, user.id), gt(invitations.expiresAt, deps.now())]
  if (page.cursor !== undefined) conditions.push(gt(invitations.id, page.cursor))
  const rows = await deps.db.select({
    id: invitations.id,
    organization: { id: organizations.id, name: organizations.name },
    role: invitations.role,
    invitedBy: { id: inviter.id, displayName: inviter.displayName },
    expiresAt: invitations.expiresAt,
    createdAt: invitations.createdAt
  }).from(invitations)
    .innerJoin(me, eq(me.email, invitations.email))
    .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
    .innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(and(...conditions)).orderBy(asc(invitations.id)).limit(limit + 1)
  return toPage(rows, limit)
}

/** The account (locked) and its invitation (locked), or the error that says why it cannot be answered. */
async function lockOwnInvitation (tx: Tx, user: AuthenticatedUser, invitationId: string, now: Date) {
  const account = (await lockAccounts(tx, [user.id])).get(user.id)
  if (account === undefined || account.disabledAt !== null) throw new SessionRevokedError()
  // The inviter is read, not locked: a demotion committed a moment later orders after this acceptance.
  const [invitation] = await tx.select({
    id: locked.id,
    email: locked.email,
    role: locked.role,
    organizationId: locked.organizationId,
    organizationName: organizations.name,
    inviterOrganizationId: locked.inviterOrganizationId,
    expiresAt: locked.expiresAt,
    inviter: { id: inviter.id, role: inviter.role, organizationId: inviter.organizationId, disabledAt: inviter.disabledAt }
  }).from(locked)
    .innerJoin(organizations, eq(organizations.id, locked.organizationId))
    .innerJoin(inviter, eq(inviter.id, locked.invitedBy))
    .where(eq(locked.id, invitationId)).for('update', { of: locked })
  // Another address's invitation is answered as if it did not exist: its id tells nothing.
  if (invitation === undefined || invitation.email !== account.email) throw new InvitationNotFoundError()
  if (invitation.expiresAt.getTime() <= now.getTime()) throw new InvitationExpiredError()
  return { account, invitation }
}

export async function acceptInvitation (deps: AuthDeps, user: AuthenticatedUser, invitationId: string, request: RequestContext): Promise<Accepted> {
  const ctx = changeContext(deps, user.id, request)
  const accepted = await deps.db.transaction(async (tx) => {
    const { account, invitation } = await lockOwnInvitation(tx, user, invitationId, ctx.now)
    const from = invitation.inviter
    if (from.role !== 'admin' || from.disabledAt !== null || from.organizationId !== invitation.inviterOrganizationId) throw new InvitationWithdrawnError()
    assertMayJoin(account, invitation.organizationId)
    await tx.delete(invitations).where(eq(invitations.id, invitation.id))
    // The membership, its event and its audit entry name the admin who chose the role; the acceptance is the owner's.
    const admitted: ChangeContext = { actorId: from.id, requestId: ctx.requestId, now: ctx.now }
    await admitToOrganization(tx, account, invitation.organizationId, invitation.role, 'admin', admitted)
    await recordAudit(tx, { action: 'invitation.accept', outcome: 'success', actorId: account.id, subjectUserId: account.id, organizationId: invitation.organizationId, client: ctx.client, details: { invitationId: invitation.id, role: invitation.role, invitedBy: from.id } }, ctx.now)
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
  await deps.db.transaction(async (tx) => {
    const { account, invitation } = await lockOwnInvitation(tx, user, invitationId, ctx.now)
    await tx.delete(invitations).where(eq(invitations.id, invitation.id))
    await recordAudit(tx, { action: 'invitation.decline', outcome: 'success', actorId: account.id, subjectUserId: account.id, organizationId: invitation.organizationId, client: ctx.client, details: { invitationId: invitation.id, role: invitation.role } }, ctx.now)
  })
}
