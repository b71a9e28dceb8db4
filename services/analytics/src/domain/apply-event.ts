// The one way an event reaches the read models, for the live consumers and the rebuild alike: the table of
// projections by `type.vN`, taken in through the events package's handler (type and contract checked, a
// breach rejected) and applied exactly once with its inbox row in one transaction (the kit's inbox). A batch
// of events goes in one transaction, its responses written together (response-batch.ts), and ends in the
// state applying them one by one in the same order gives.
import { createEventHandler, toHandlerResult, type Admitted, type HandlerResult, type ReceivedEvent } from '@dreamseed/events'
import type { Db, Tx } from '@dreamseed/kit'
import { createEventInbox } from '../repositories/index.js'
import { classroomCreated, classroomMemberAdded, classroomMemberRemoved, organizationMemberAdded, userCreated, userDisabled, userRoleChanged } from './organization-projections.js'
import { assignmentChanged, itemChanged, responseRecorded, sessionCompleted, sessionExtended, sessionStarted, sessionVoided } from './exam-projections.js'
import type { Projection } from './projection.js'
import { createResponseBatch, RESPONSE_RECORDED } from './response-batch.js'

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
  'exam.session.completed.v1': sessionCompleted,
  'exam.session.extended.v1': sessionExtended,
  'exam.session.voided.v1': sessionVoided
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

/** Applies events together; one outcome per event, in their order. */
export type ApplyBatch = (events: ReceivedEvent[]) => Promise<Applied[]>

const ACK: HandlerResult = { kind: 'ack' }

export function createBatchApplier (db: Db): ApplyBatch {
  const handler = createEventHandler<Tx, string[]>({ handlers: PROJECTIONS })
  const inbox = createEventInbox(db)
  return async (events) => {
    // Ignored (not analytics' business) unless admitted below.
    const outcomes: Applied[] = events.map(() => ({ result: ACK, applied: false, organizations: [] }))
    const accepted: Array<{ at: number, event: ReceivedEvent, admitted: Extract<Admitted<Tx, string[]>, { kind: 'accepted' }> }> = []
    for (const [at, event] of events.entries()) {
      const admitted = handler.admit(event)
      if (admitted.kind === 'rejected') outcomes[at] = { result: { kind: 'reject', reason: admitted.reason }, applied: false, organizations: [] }
      if (admitted.kind === 'accepted') accepted.push({ at, event, admitted })
    }
    if (accepted.length === 0) return outcomes
    await inbox.batch(accepted.map((a) => a.event.envelope), async (tx, fresh) => {
      const responses = createResponseBatch(tx)
      for (const { at, event, admitted } of accepted) {
        // Seen before this batch, or earlier in it: a duplicate, acknowledged and not applied.
        if (!fresh.delete(event.envelope.id)) continue
        let organizations: string[]
        if (admitted.key === RESPONSE_RECORDED) {
          organizations = responses.add(event.envelope)
        } else {
          if (!responses.commutesWith(admitted.key, event.envelope)) await responses.flush()
          organizations = await admitted.apply(tx, event.envelope, event)
        }
        outcomes[at] = { result: ACK, applied: true, organizations: [...new Set(organizations)] }
      }
      await responses.flush()
    })
    return outcomes
  }
}
