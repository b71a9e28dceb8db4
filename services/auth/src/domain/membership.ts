// The writes every way into an organization shares (an accepted invitation, a classroom joined by code, the
// admin command): the account's organization and role, the events that announce them, and the
// audit entries. Always inside the caller's transaction, on accounts the caller has locked.
import type { Static, TSchema } from 'typebox'
import { newEnvelope, organizationMemberAddedV1, userRoleChangedV1, type EventContract } from '@dreamseed/events'
import type { Role } from '@dreamseed/kit'
import type { Repositories } from '../repositories/index.js'
import type { Account } from '../repositories/users-repository.js'
import type { AuthDeps, ClientInfo, RequestContext } from './deps.js'

export interface ChangeContext {
  /** The admin who acts; null for the admin command. */
  actorId: string | null
  client?: ClientInfo
  requestId?: string
  now: Date
}

export const changeContext = (deps: Pick<AuthDeps, 'now'>, actorId: string, request: RequestContext): ChangeContext => ({ actorId, client: request.client, requestId: request.requestId, now: deps.now() })

/** Writes an event to the outbox in the caller's transaction; the caller pokes the relay after the commit. */
export async function writeEvent<S extends TSchema> (tx: Repositories, contract: EventContract<S>, data: Static<S>, aggregateId: string, ctx: ChangeContext): Promise<void> {
  await tx.outbox.append([newEnvelope(contract, data, { requestId: ctx.requestId, now: ctx.now })], aggregateId)
}

/** Puts an account without an organization into one, with a role. Returns whether its role changed. */
export async function admitToOrganization (tx: Repositories, account: Account, organizationId: string, role: Role, source: 'admin' | 'classroom' | 'command', ctx: ChangeContext): Promise<boolean> {
  await tx.users.setMembership(account.id, { organizationId, role }, ctx.now)
  await writeEvent(tx, organizationMemberAddedV1, { organizationId, userId: account.id, role, source, addedBy: ctx.actorId }, organizationId, ctx)
  await tx.audit.record({ action: 'organization.add_member', outcome: 'success', actorId: ctx.actorId, subjectUserId: account.id, organizationId, client: ctx.client, details: { role, source } }, ctx.now)
  if (account.role === role) return false
  await announceRoleChange(tx, account, organizationId, role, ctx)
  return true
}

/** Changes the role of an account already in the organization. */
export async function changeRole (tx: Repositories, account: Account, organizationId: string, role: Role, ctx: ChangeContext): Promise<void> {
  await tx.users.setMembership(account.id, { role }, ctx.now)
  await announceRoleChange(tx, account, organizationId, role, ctx)
}

async function announceRoleChange (tx: Repositories, account: Account, organizationId: string, role: Role, ctx: ChangeContext): Promise<void> {
  await writeEvent(tx, userRoleChangedV1, { userId: account.id, organizationId, previousRole: account.role, role, changedBy: ctx.actorId, changedAt: ctx.now.toISOString() }, account.id, ctx)
  await tx.audit.record({ action: 'role.change', outcome: 'success', actorId: ctx.actorId, subjectUserId: account.id, organizationId, client: ctx.client, details: { from: account.role, to: role } }, ctx.now)
}
