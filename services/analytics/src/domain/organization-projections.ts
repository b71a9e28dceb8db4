// Applies auth's account, organization and classroom events to analytics' read models. Every write is an
// upsert whose outcome does not depend on the order events arrive in: a field is set by the event that
// carries it, and where two events compete for a field the later timestamp wins.
import type { ClassroomCreatedV1, ClassroomMemberAddedV1, ClassroomMemberRemovedV1, OrganizationMemberAddedV1, UserCreatedV1, UserDisabledV1, UserRoleChangedV1 } from '@dreamseed/events'
import { createUsersRepository } from '../repositories/users-repository.js'
import { createClassroomsRepository } from '../repositories/classrooms-repository.js'
import type { Projection } from './projection.js'

export const userCreated: Projection = async (tx, envelope) => {
  const data = envelope.data as UserCreatedV1
  const users = createUsersRepository(tx)
  await users.setRole(data.userId, data.role, new Date(envelope.occurredAt), { displayName: data.displayName })
  return await users.organizationsOf(data.userId)
}

export const userRoleChanged: Projection = async (tx, envelope) => {
  const data = envelope.data as UserRoleChangedV1
  const users = createUsersRepository(tx)
  await users.setRole(data.userId, data.role, new Date(data.changedAt), { organizationId: data.organizationId })
  return await users.organizationsOf(data.userId)
}

export const userDisabled: Projection = async (tx, envelope) => {
  const data = envelope.data as UserDisabledV1
  const users = createUsersRepository(tx)
  await users.disable(data.userId, data.organizationId)
  return await users.organizationsOf(data.userId)
}

export const organizationMemberAdded: Projection = async (tx, envelope) => {
  const data = envelope.data as OrganizationMemberAddedV1
  await createUsersRepository(tx).setOrganization(data.userId, data.organizationId)
  return [data.organizationId]
}

export const classroomCreated: Projection = async (tx, envelope) => {
  const data = envelope.data as ClassroomCreatedV1
  await createClassroomsRepository(tx).create({ id: data.classroomId, organizationId: data.organizationId, teacherId: data.teacherId, name: data.name, createdAt: new Date(data.createdAt) })
  return [data.organizationId]
}

export const classroomMemberAdded: Projection = async (tx, envelope) => {
  const data = envelope.data as ClassroomMemberAddedV1
  await createClassroomsRepository(tx).setMembership(data, false, new Date(data.joinedAt))
  return [data.organizationId]
}

export const classroomMemberRemoved: Projection = async (tx, envelope) => {
  const data = envelope.data as ClassroomMemberRemovedV1
  await createClassroomsRepository(tx).setMembership(data, true, new Date(data.removedAt))
  return [data.organizationId]
}
