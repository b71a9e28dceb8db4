// The one way an event reaches the read models, for the live consumers and the rebuild alike: checked
// against its contract, recorded in the inbox and applied in one transaction, so an event applied twice
// changes nothing the second time.
import { analyticsInbox } from '@dreamseed/schema/analytics'
import { contractFor, type Envelope, type HandlerResult } from '@dreamseed/events'
import type { Db } from '../repositories/database.js'
import { classroomCreated, classroomMemberAdded, classroomMemberRemoved, organizationMemberAdded, userCreated, userDisabled, userRoleChanged } from './organization-projections.js'
import { assignmentChanged, itemChanged, responseRecorded, sessionCompleted, sessionStarted } from './exam-projections.js'
import type { Projection } from './projection.js'

const PROJECTIONS: Record<string, Projection> = {
  'user.created.v1': userCreated,
  'user.role.changed.v1': userRoleChanged,
  'user.disabled.v1': userDisabled,
  'organization.member.added.v1': organizationMemberAdded,
  'classroom.created.v1': classroomCreated,
  'classroom.member.added.v1': classroomMemberAdded,
  'classroom.member.removed.v1': classroomMemberRemoved,
  'exam.item.changed.v1': itemChanged,
  'exam.assignment.changed.v1': assignmentChanged,
  'exam.session.started.v1': sessionStarted,
  'exam.response.recorded.v1': responseRecorded,
  'exam.session.completed.v1': sessionCompleted
}

export interface Applied {
  result: HandlerResult
  /** True when this delivery changed the read models (false for a duplicate or an event analytics ignores). */
  applied: boolean
  /** Organizations whose cached answers are now stale. */
  organizations: string[]
}

export const handledTypes = (): string[] => Object.keys(PROJECTIONS)

export async function applyEvent (db: Db, envelope: Envelope<unknown>): Promise<Applied> {
  const project = PROJECTIONS[`${envelope.type}.v${envelope.version}`]
  // Events analytics does not read (mail requests, password changes) are none of its business.
  if (project === undefined) return { result: { kind: 'ack' }, applied: false, organizations: [] }
  const problems = contractFor(envelope.type, envelope.version)!.check(envelope)
  if (problems.length > 0) return { result: { kind: 'reject', reason: `breaks its contract: ${problems.join('; ')}` }, applied: false, organizations: [] }
  const organizations = await db.transaction(async (tx) => {
    const fresh = await tx.insert(analyticsInbox).values({ eventId: envelope.id, type: envelope.type }).onConflictDoNothing().returning({ id: analyticsInbox.eventId })
    if (fresh.length === 0) return undefined
    return await project(tx, envelope)
  })
  if (organizations === undefined) return { result: { kind: 'ack' }, applied: false, organizations: [] }
  return { result: { kind: 'ack' }, applied: true, organizations: [...new Set(organizations)] }
}
