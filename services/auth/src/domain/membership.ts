// The writes every way into an organization shares (an accepted invitation, a classroom joined by code, the
// admin command): the account's organization and role, the events that announce them, and the
// audit entries. Always inside the caller's transaction, on accounts the caller has locked.
import { eq } from 'drizzle-orm'
import type { Static, TSchema } from 'typebox'
import { authOutbox, users } from '@dreamseed/schema/auth'
import { newEnvelope, organizationMemberAddedV1, outboxRow, userRoleChangedV1, type EventContract } from '@dreamseed/events'
import type { Role } from '@dreamseed/kit'
import type { Account } from './acting-user.js'
import { recordAudit, type ClientInfo } from './audit.js'
import type { Tx } from './verification-link.js'
import type { AuthDeps } from './deps.js'
import type { RequestContext } from './organizations.js'

export interface ChangeContext {
  /** The admin who acts; null for the admin command. */
  actorId: string | null
  client?: ClientInfo
  requestId?: string
  now: Date
}

export const changeContext = (deps: Pick<AuthDeps, 'now'>, actorId: string, request: RequestContext): ChangeContext => ({ actorId, client: request.client, requestId: request.requestId, now: deps.now() })

/** Writes an event to the outbox in the caller's transaction; the caller pokes the relay after the commit. */
export async function writeEvent<S extends TSchema> (tx: Tx, contract: EventContract<S>, data: Static<S>, aggregateId: string, ctx: ChangeContext): Promise<void> {
  await tx.insert(authOutbox).values(outboxRow(newEnvelope(contract, data, { requestId: ctx.requestId, now: ctx.now }), aggregateId))
}

/** Puts an account without an organization into one, with a role. Returns whether its role changed. */
export async function admitToOrganization (tx: Tx, account: Account, organizationId: string, role: Role, source: 'admin' | 'classroom' | 'command', ctx: ChangeContext): Promise<boolean> {
  await tx.update(users).set({ organizationId, role, updatedAt: ctx.now }).where(eq(users.id, account.id))
  await writeEvent(tx, organizationMemberAddedV1, { organizationId, userId: account.id, role, source, addedBy: ctx.actorId }, organizationId, ctx)
  await recordAudit(tx, { action: 'organization.add_member', outcome: 'success', actorId: ctx.actorId, subjectUserId: account.id, organizationId, client: ctx.client, details: { role, source } }, ctx.now)
  if (account.role === role) return false
  await announceRoleChange(tx, account, organizationId, role, ctx)
  return true
}

/** Changes the role of an account already in the organization. */
export async function changeRole (tx: Tx, account: Account, organizationId: string, role: Role, ctx: ChangeContext): Promise<void> {
  await tx.update(users).set({ role, updatedAt: ctx.now }).where(eq(users.id, account.id))
  await announceRoleChange(tx, account, organizationId, role, ctx)
}

async function announceRoleChange (tx: Tx, account: Account, organizationId: string, role: Role, ctx: ChangeContext): Promise<void> {
  await writeEvent(tx, userRoleChangedV1, { userId: account.id, organizationId, previousRole: account.role, role, changedBy: ctx.actorId, changedAt: ctx.now.toISOString() }, account.id, ctx)
  await recordAudit(tx, { action: 'role.change', outcome: 'success', actorId: ctx.actorId, subjectUserId: account.id, organizationId, client: ctx.client, details: { from: account.role, to: role } }, ctx.now)
}
