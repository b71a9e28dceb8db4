// The audit of proctoring: what a teacher or an admin did to a session, as the row its action's statement writes
// (a student's own pause or resume is theirs, not a proctor's, and is not audited).
import { newEventId } from '@dreamseed/events'
import type { PauseReason, SessionState } from './model.js'
import type { ProctorAction } from '../repositories/proctoring-repository.js'

/** The audit row of an action by `actor`; undefined when the actor is the session's student. */
export function proctorAction (state: Pick<SessionState, 'id' | 'organizationId'>, actor: { by: string, reason: Exclude<PauseReason, 'idle'> }, action: ProctorAction['action'], details: Record<string, unknown>, at: Date): ProctorAction | undefined {
  if (actor.reason === 'student') return undefined
  return { id: newEventId(), sessionId: state.id, organizationId: state.organizationId, actorId: actor.by, actorRole: actor.reason, action, details, at }
}
