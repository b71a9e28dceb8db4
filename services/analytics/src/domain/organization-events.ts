// Applies auth's account, organization and classroom events to analytics' read models. Every write is an
// upsert whose outcome does not depend on the order events arrive in: a field is set by the event that
// carries it, and where two events compete for a field the later timestamp wins.
import { sql } from 'drizzle-orm'
import { analyticsClassroomMembers, analyticsClassrooms, analyticsUsers } from '@dreamseed/schema/analytics'
import type { ClassroomCreatedV1, ClassroomMemberAddedV1, ClassroomMemberRemovedV1, Envelope, OrganizationMemberAddedV1, UserCreatedV1, UserDisabledV1, UserRoleChangedV1 } from '@dreamseed/events'
import type { Tx } from './deps.js'

/** Applies one event inside the caller's transaction; returns the organizations whose data changed. */
export type Projection = (tx: Tx, envelope: Envelope<unknown>) => Promise<string[]>

async function organizationsOfUser (tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.execute<{ organization_id: string }>(sql`
    select organization_id from analytics.users where id = ${userId} and organization_id is not null
    union select organization_id from analytics.classroom_members where user_id = ${userId}`)
  return rows.map((r) => r.organization_id)
}

async function setRole (tx: Tx, userId: string, role: string, at: Date, fields: { displayName?: string, organizationId?: string | null } = {}): Promise<void> {
  const u = analyticsUsers
  await tx.insert(u).values({ id: userId, role, roleChangedAt: at, displayName: fields.displayName ?? null, organizationId: fields.organizationId ?? null })
    .onConflictDoUpdate({
      target: u.id,
      set: {
        role: sql`case when ${u.roleChangedAt} is null or excluded.role_changed_at > ${u.roleChangedAt} then excluded.role else ${u.role} end`,
        roleChangedAt: sql`greatest(${u.roleChangedAt}, excluded.role_changed_at)`,
        displayName: sql`coalesce(excluded.display_name, ${u.displayName})`,
        organizationId: sql`coalesce(excluded.organization_id, ${u.organizationId})`
      }
    })
}

export const userCreated: Projection = async (tx, envelope) => {
  const data = envelope.data as UserCreatedV1
  await setRole(tx, data.userId, data.role, new Date(envelope.occurredAt), { displayName: data.displayName })
  return await organizationsOfUser(tx, data.userId)
}

export const userRoleChanged: Projection = async (tx, envelope) => {
  const data = envelope.data as UserRoleChangedV1
  await setRole(tx, data.userId, data.role, new Date(data.changedAt), { organizationId: data.organizationId })
  return await organizationsOfUser(tx, data.userId)
}

export const userDisabled: Projection = async (tx, envelope) => {
  const data = envelope.data as UserDisabledV1
  await tx.insert(analyticsUsers).values({ id: data.userId, disabled: true, organizationId: data.organizationId })
    .onConflictDoUpdate({ target: analyticsUsers.id, set: { disabled: true, organizationId: sql`coalesce(excluded.organization_id, ${analyticsUsers.organizationId})` } })
  return await organizationsOfUser(tx, data.userId)
}

export const organizationMemberAdded: Projection = async (tx, envelope) => {
  const data = envelope.data as OrganizationMemberAddedV1
  await tx.insert(analyticsUsers).values({ id: data.userId, organizationId: data.organizationId })
    .onConflictDoUpdate({ target: analyticsUsers.id, set: { organizationId: data.organizationId } })
  return [data.organizationId]
}

export const classroomCreated: Projection = async (tx, envelope) => {
  const data = envelope.data as ClassroomCreatedV1
  await tx.insert(analyticsClassrooms).values({ id: data.classroomId, organizationId: data.organizationId, teacherId: data.teacherId, name: data.name, createdAt: new Date(data.createdAt) }).onConflictDoNothing()
  return [data.organizationId]
}

async function setMembership (tx: Tx, m: { classroomId: string, userId: string, organizationId: string, role: string }, removed: boolean, at: Date): Promise<void> {
  const t = analyticsClassroomMembers
  // At the same instant a removal wins over an add, whichever arrives first.
  const newer = removed ? sql`excluded.changed_at >= ${t.changedAt}` : sql`excluded.changed_at > ${t.changedAt}`
  await tx.insert(t).values({ ...m, removed, changedAt: at })
    .onConflictDoUpdate({ target: [t.classroomId, t.userId], set: { removed, role: m.role, changedAt: at }, setWhere: newer })
}

export const classroomMemberAdded: Projection = async (tx, envelope) => {
  const data = envelope.data as ClassroomMemberAddedV1
  await setMembership(tx, data, false, new Date(data.joinedAt))
  return [data.organizationId]
}

export const classroomMemberRemoved: Projection = async (tx, envelope) => {
  const data = envelope.data as ClassroomMemberRemovedV1
  await setMembership(tx, data, true, new Date(data.removedAt))
  return [data.organizationId]
}
