// Admins invite an address into their organization with a role; nobody enters an organization without
// accepting (invitation-answers.ts). Inviting looks no account up, so the answer, the work and the mail are the
// same whether an account uses the address, is unverified, or belongs to an organization already: an admin
// learns nothing about who has an account. Inviting the same address again refreshes the invitation (role,
// inviter, expiry) and mails again only after the resend interval. An organization's admins have at most
// `maxPending` invitations out at once, counted under a lock on their organization's row (any replica).
import { and, asc, count, eq, gt, lte } from 'drizzle-orm'
import { invitations, organizations } from '@dreamseed/schema/auth'
import { newEventId, userInvitedV1 } from '@dreamseed/events'
import { assertSameOrganization, pageSize, toPage, type AuthenticatedUser, type Page, type PageRequest } from '@dreamseed/kit'
import type { AuthDeps } from './deps.js'
import { recordAudit } from './audit.js'
import { normalizeEmail } from './email.js'
import { currentActor, lockAccounts, type Account } from './acting-user.js'
import { changeContext, writeEvent, type ChangeContext } from './membership.js'
import type { RequestContext } from './organizations.js'
import type { Tx } from './verification-link.js'
import { InvitationNotFoundError, NoOrganizationError, TooManyInvitationsError } from '../errors.js'

export type InvitedRole = 'teacher' | 'admin'

export interface InvitationView {
  id: string
  organizationId: string
  email: string
  role: InvitedRole
  expiresAt: Date
}

export interface PendingInvitation extends InvitationView {
  invitedBy: string
  createdAt: Date
}

/** The acting admin, locked and current; an admin outside any organization has nobody to invite for. */
export async function lockInviter (tx: Tx, user: AuthenticatedUser): Promise<Account & { organizationId: string }> {
  const actor = currentActor(await lockAccounts(tx, [user.id]), user)
  if (actor.organizationId === null) throw new NoOrganizationError()
  return { ...actor, organizationId: actor.organizationId }
}

/** Locks an organization's row (serializing its admins' invitations) and returns its name. */
export async function lockOrganization (tx: Tx, id: string): Promise<{ id: string, name: string }> {
  const [organization] = await tx.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, id)).for('update')
  if (organization === undefined) throw new NoOrganizationError()
  return organization
}

/**
 * Writes (or refreshes) the invitation of `email` into `organization` and, unless one went out within the
 * resend interval, the event that mails it. Runs in the caller's transaction, with the inviter and the
 * inviter's organization locked (lockInviter, lockOrganization), so the count of pending invitations holds.
 */
export async function writeInvitation (tx: Tx, deps: AuthDeps, input: { organization: { id: string, name: string }, email: string, role: InvitedRole, inviter: Account & { organizationId: string } }, ctx: ChangeContext): Promise<InvitationView> {
  const { organization, inviter, role } = input
  const email = normalizeEmail(input.email)
  const settings = deps.invitations
  await tx.delete(invitations).where(and(eq(invitations.inviterOrganizationId, inviter.organizationId), lte(invitations.expiresAt, ctx.now)))
  const [existing] = await tx.select({ id: invitations.id, mailedAt: invitations.mailedAt }).from(invitations)
    .where(and(eq(invitations.organizationId, organization.id), eq(invitations.email, email))).for('update')
  if (existing === undefined) {
    const [pending] = await tx.select({ n: count() }).from(invitations).where(eq(invitations.inviterOrganizationId, inviter.organizationId))
    if ((pending?.n ?? 0) >= settings.maxPending) throw new TooManyInvitationsError(settings.maxPending)
  }
  const mail = existing === undefined || existing.mailedAt.getTime() <= ctx.now.getTime() - settings.resendIntervalSeconds * 1000
  const expiresAt = new Date(ctx.now.getTime() + settings.ttlHours * 3600_000)
  const fields = { role, invitedBy: inviter.id, inviterOrganizationId: inviter.organizationId, expiresAt, ...(mail ? { mailedAt: ctx.now } : {}) }
  const [row] = await tx.insert(invitations).values({ id: newEventId(), organizationId: organization.id, email, mailedAt: ctx.now, createdAt: ctx.now, ...fields })
    .onConflictDoUpdate({ target: [invitations.organizationId, invitations.email], set: fields })
    .returning({ id: invitations.id })
  const id = row!.id
  if (mail) {
    await writeEvent(tx, userInvitedV1, { invitationId: id, email, organizationId: organization.id, organizationName: organization.name, role, invitedBy: inviter.id, inviterName: inviter.displayName, expiresAt: expiresAt.toISOString() }, id, ctx)
  }
  await recordAudit(tx, { action: 'organization.invite', outcome: 'success', actorId: inviter.id, organizationId: organization.id, client: ctx.client, details: { invitationId: id, email, role, mailed: mail } }, ctx.now)
  return { id, organizationId: organization.id, email, role, expiresAt }
}

/** An admin invites an address into their organization as a teacher or an admin. */
export async function inviteMember (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, input: { email: string, role: InvitedRole }, request: RequestContext): Promise<InvitationView> {
  assertSameOrganization(user, organizationId)
  const ctx = changeContext(deps, user.id, request)
  const invited = await deps.db.transaction(async (tx) => {
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
  const limit = pageSize(page)
  const conditions = [eq(invitations.organizationId, organizationId), gt(invitations.expiresAt, deps.now())]
  if (page.cursor !== undefined) conditions.push(gt(invitations.id, page.cursor))
  const rows = await deps.db.select({ id: invitations.id, organizationId: invitations.organizationId, email: invitations.email, role: invitations.role, invitedBy: invitations.invitedBy, expiresAt: invitations.expiresAt, createdAt: invitations.createdAt })
    .from(invitations).where(and(...conditions)).orderBy(asc(invitations.id)).limit(limit + 1)
  return toPage(rows.map((r) => ({ ...r, role: r.role as InvitedRole })), limit)
}

/** An admin withdraws an invitation of their organization; it can no longer be accepted. */
export async function withdrawInvitation (deps: AuthDeps, user: AuthenticatedUser, organizationId: string, invitationId: string, request: RequestContext): Promise<void> {
  assertSameOrganization(user, organizationId)
  const ctx = changeContext(deps, user.id, request)
  await deps.db.transaction(async (tx) => {
    const inviter = await lockInviter(tx, user)
    const [gone] = await tx.delete(invitations).where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, inviter.organizationId)))
      .returning({ email: invitations.email, role: invitations.role })
    if (gone === undefined) throw new InvitationNotFoundError()
    await recordAudit(tx, { action: 'invitation.withdraw', outcome: 'success', actorId: inviter.id, organizationId, client: ctx.client, details: { invitationId, email: gone.email, role: gone.role } }, ctx.now)
  })
}
