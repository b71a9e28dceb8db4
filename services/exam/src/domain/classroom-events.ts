// Keeps exam's read model of classrooms and their members in step with auth's events. Each event is applied
// once (its id goes into the inbox in the same transaction), and a membership only moves forward in time:
// an add that arrives after a later removal is ignored, so redelivery and reordering cannot bring a removed
// student back to an exam.
import { sql } from 'drizzle-orm'
import { classroomMembers, classrooms, inbox } from '@dreamseed/schema/exam'
import { classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1, contractFor, type ClassroomCreatedV1, type ClassroomMemberAddedV1, type ClassroomMemberRemovedV1, type Envelope, type HandlerResult } from '@dreamseed/events'
import type { Db, Tx } from '../repositories/db.js'

const HANDLED = new Set([classroomCreatedV1, classroomMemberAddedV1, classroomMemberRemovedV1].map((c) => `${c.type}.v${c.version}`))

export async function applyClassroomEvent (db: Db, envelope: Envelope<unknown>): Promise<HandlerResult> {
  const key = `${envelope.type}.v${envelope.version}`
  // Other classroom events (and versions exam does not read) are none of its business.
  if (!HANDLED.has(key)) return { kind: 'ack' }
  const problems = contractFor(envelope.type, envelope.version)!.check(envelope)
  if (problems.length > 0) return { kind: 'reject', reason: `breaks its contract: ${problems.join('; ')}` }
  await db.transaction(async (tx) => {
    const fresh = await tx.insert(inbox).values({ eventId: envelope.id, type: envelope.type }).onConflictDoNothing().returning({ id: inbox.eventId })
    if (fresh.length === 0) return
    if (envelope.type === classroomCreatedV1.type) {
      const data = envelope.data as ClassroomCreatedV1
      await tx.insert(classrooms).values({ id: data.classroomId, organizationId: data.organizationId, teacherId: data.teacherId, name: data.name, createdAt: new Date(data.createdAt) }).onConflictDoNothing()
    } else if (envelope.type === classroomMemberAddedV1.type) {
      const data = envelope.data as ClassroomMemberAddedV1
      await setMembership(tx, data.classroomId, data.userId, data.organizationId, false, new Date(data.joinedAt))
    } else {
      const data = envelope.data as ClassroomMemberRemovedV1
      await setMembership(tx, data.classroomId, data.userId, data.organizationId, true, new Date(data.removedAt))
    }
  })
  return { kind: 'ack' }
}

async function setMembership (tx: Tx, classroomId: string, userId: string, organizationId: string, removed: boolean, at: Date): Promise<void> {
  // At the same instant a removal wins over an add.
  const newer = removed ? sql`excluded.changed_at >= ${classroomMembers.changedAt}` : sql`excluded.changed_at > ${classroomMembers.changedAt}`
  await tx.insert(classroomMembers).values({ classroomId, userId, organizationId, removed, changedAt: at })
    .onConflictDoUpdate({ target: [classroomMembers.classroomId, classroomMembers.userId], set: { removed, changedAt: at }, setWhere: newer })
}
