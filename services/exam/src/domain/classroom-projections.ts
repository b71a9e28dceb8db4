// Incoming: keeps exam's read model of classrooms and their members in step with auth's events. Each event is
// applied once (its id goes into the inbox in the same transaction), and a membership only moves forward in
// time: an add that arrives after a later removal is ignored, so redelivery and reordering cannot bring a
// removed student back to an exam. Other classroom events (and versions exam does not read) are none of its
// business.
import { classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1, createEventHandler, eventKey, toHandlerResult, type ClassroomCreatedV1, type ClassroomMemberAddedV1, type ClassroomMemberRemovedV1, type HandlerResult, type ReceivedEvent } from '@dreamseed/events'
import type { TxRepositories } from '../repositories/index.js'
import type { ExamDeps } from './deps.js'

export function createClassroomProjections (deps: Pick<ExamDeps, 'repos'>): (event: ReceivedEvent) => Promise<HandlerResult> {
  const handler = createEventHandler<TxRepositories>({
    once: deps.repos.once,
    handlers: {
      [eventKey(classroomCreatedV1.type, classroomCreatedV1.version)]: async ({ classrooms }, envelope) => {
        const data = envelope.data as ClassroomCreatedV1
        await classrooms.create({ id: data.classroomId, organizationId: data.organizationId, teacherId: data.teacherId, name: data.name, createdAt: new Date(data.createdAt) })
      },
      [eventKey(classroomMemberAddedV1.type, classroomMemberAddedV1.version)]: async ({ classrooms }, envelope) => {
        const data = envelope.data as ClassroomMemberAddedV1
        await classrooms.setMembership({ classroomId: data.classroomId, userId: data.userId, organizationId: data.organizationId, removed: false, at: new Date(data.joinedAt) })
      },
      [eventKey(classroomMemberRemovedV1.type, classroomMemberRemovedV1.version)]: async ({ classrooms }, envelope) => {
        const data = envelope.data as ClassroomMemberRemovedV1
        await classrooms.setMembership({ classroomId: data.classroomId, userId: data.userId, organizationId: data.organizationId, removed: true, at: new Date(data.removedAt) })
      }
    }
  })
  return async (event) => toHandlerResult(await handler.handle(event))
}
