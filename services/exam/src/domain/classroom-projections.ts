// Incoming: keeps exam's read model of classrooms and their members in step with auth's events. Each event is
// applied once (its id goes into the inbox in the same transaction), and a membership only moves forward in
// time: an add that arrives after a later removal is ignored, so redelivery and reordering cannot bring a
// removed student back to an exam.
import { classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1, contractFor, type ClassroomCreatedV1, type ClassroomMemberAddedV1, type ClassroomMemberRemovedV1, type Envelope, type HandlerResult } from '@dreamseed/events'
import type { ExamDeps } from './deps.js'

const HANDLED = new Set([classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1].map((c) => `${c.type}.v${c.version}`))

export async function applyClassroomEvent (deps: Pick<ExamDeps, 'repos'>, envelope: Envelope<unknown>): Promise<HandlerResult> {
  const key = `${envelope.type}.v${envelope.version}`
  // Other classroom events (and versions exam does not read) are none of its business.
  if (!HANDLED.has(key)) return { kind: 'ack' }
  const problems = contractFor(envelope.type, envelope.version)!.check(envelope)
  if (problems.length > 0) return { kind: 'reject', reason: `breaks its contract: ${problems.join('; ')}` }
  await deps.repos.once(envelope, async ({ classrooms }) => {
    if (envelope.type === classroomCreatedV1.type) {
      const data = envelope.data as ClassroomCreatedV1
      await classrooms.create({ id: data.classroomId, organizationId: data.organizationId, teacherId: data.teacherId, name: data.name, createdAt: new Date(data.createdAt) })
    } else if (envelope.type === classroomMemberAddedV1.type) {
      const data = envelope.data as ClassroomMemberAddedV1
      await classrooms.setMembership({ classroomId: data.classroomId, userId: data.userId, organizationId: data.organizationId, removed: false, at: new Date(data.joinedAt) })
    } else {
      const data = envelope.data as ClassroomMemberRemovedV1
      await classrooms.setMembership({ classroomId: data.classroomId, userId: data.userId, organizationId: data.organizationId, removed: true, at: new Date(data.removedAt) })
    }
  })
  return { kind: 'ack' }
}
