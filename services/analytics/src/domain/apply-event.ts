// The one way an event reaches the read models, for the live consumers and the rebuild alike: the table of
// projections by `type.vN`, taken in through the events package's handler (type and contract checked, a
// breach rejected) and applied exactly once with its inbox row in one transaction (the kit's inbox).
import { createEventHandler, toHandlerResult, type HandlerResult, type ReceivedEvent } from '@dreamseed/events'
import type { Db, Tx } from '@dreamseed/kit'
import { createEventInbox } from '../repositories/index.js'
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

export type ApplyEvent = (event: ReceivedEvent) => Promise<Applied>

export function createEventApplier (db: Db): ApplyEvent {
  // Events analytics does not read (mail requests, password changes) are none of its business: ignored.
  const handler = createEventHandler<Tx, string[]>({ handlers: PROJECTIONS, once: createEventInbox(db).once })
  return async (event) => {
    const handled = await handler.handle(event)
    const organizations = handled.kind === 'applied' ? [...new Set(handled.value)] : []
    return { result: toHandlerResult(handled), applied: handled.kind === 'applied', organizations }
  }
}
