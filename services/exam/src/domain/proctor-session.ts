// Proctoring: a teacher of a classroom (or an admin of its organization) watches the classroom's live sessions
// and gives one more time, ends it now (scored on what was answered, as a time-limit ending is) or voids it.
// Who may act on a session is pause's rule (pause-session.ts); pausing and resuming are pause's own routes.
// Each action is one conditional statement with its event and its audit row (proctoring-repository.ts).
import { ForbiddenError, pageSize, toPage, type AuthenticatedUser, type Page, type PageRequest } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import type { RequestContext, SessionState } from './model.js'
import { ClassroomUnknownError, ExtensionTooLongError, NoTimeLimitError, NotClassroomTeacherError, SessionBusyError, SessionCompletedError, SessionVoidedError, VoidReasonRequiredError } from '../errors.js'
import { organizationOf } from './items.js'
import { resultOf } from './cat-step.js'
import { reload, sessionFor, type Actor } from './pause-session.js'
import { proctorAction } from './proctor-audit.js'
import { effortOf, type Effort } from './effort.js'
import { sessionCompleted, sessionExtended, sessionVoided } from './session-events.js'
import { expireIfDue, freshHeld, remember } from './session-reads.js'
import { stepOf, type SessionStep } from './session-views.js'
import type { LiveSessionRow, ProctorAction } from '../repositories/proctoring-repository.js'
import type { LoadedSession } from '../repositories/sessions-repository.js'

/** Writes tried per action before the request is told to try again (each after a fresh read). */
const MAX_WRITES = 3
/** Most audit rows one read returns (a session sees a handful). */
export const AUDIT_LIMIT = 1000

export interface LiveSessionView extends LiveSessionRow, Effort {
  /** Seconds left before the deadline (null without a time limit), frozen while the session stands still. */
  timeLeftS: number | null
}

/** A session for a teacher or an admin who may proctor it (pause's rule); a student proctors nothing. */
async function proctored (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<{ loaded: LoadedSession, actor: Actor }> {
  if (user.role === 'student') throw new ForbiddenError('Students may not proctor sessions')
  return await sessionFor(deps, user, id)
}

const auditOf = (state: SessionState, actor: Actor, action: ProctorAction['action'], details: Record<string, unknown>, at: Date): ProctorAction =>
  proctorAction(state, actor, action, { statusBefore: state.status, ...details }, at)!

export async function extendSession (deps: ExamDeps, user: AuthenticatedUser, id: string, seconds: number, context: RequestContext): Promise<SessionStep> {
  const access = await proctored(deps, user, id)
  const { actor } = access
  if (seconds > deps.proctoring.maxExtensionS) throw new ExtensionTooLongError(deps.proctoring.maxExtensionS)
  let { loaded } = access
  for (let writes = 0; ; writes++) {
    // A session whose time is already up ends rather than coming back to life.
    const held = await expireIfDue(deps, await freshHeld(deps, loaded), context)
    const { state } = held
    if (state.status === 'completed') throw new SessionCompletedError()
    if (state.deadlineAt === null) throw new NoTimeLimitError()
    if (writes === MAX_WRITES) throw new SessionBusyError()
    const now = deps.now()
    const deadlineAt = new Date(state.deadlineAt.getTime() + seconds * 1000)
    const extended = sessionExtended(state, { by: actor.by, seconds, deadlineAt }, { now, ...context })
    const audit = auditOf(state, actor, 'extend', { seconds, deadlineBefore: state.deadlineAt.toISOString(), deadlineAt: deadlineAt.toISOString() }, now)
    if (await deps.repos.proctoring.extend(state, seconds, now, extended, audit)) {
      const after: SessionState = { ...state, deadlineAt, extendedS: state.extendedS + seconds }
      // Memory holds the new deadline: an answer's write checks the deadline it was computed with.
      remember(deps, after, held.shown)
      deps.eventsWritten()
      return stepOf(after, held.shown)
    }
    loaded = await reload(deps, id)
  }
}

export interface EndInput { void?: boolean, reason?: string }

/**
 * Ends a session now, scored on what was answered (stop reason `proctor`; its completed event says time-limit,
 * endedBy proctor), and voids it when asked. An ended session can still be voided (once); ending it again is
 * refused.
 */
export async function endSession (deps: ExamDeps, user: AuthenticatedUser, id: string, input: EndInput, context: RequestContext): Promise<SessionStep> {
  const voiding = input.void === true
  const reason = input.reason?.trim() ?? ''
  const access = await proctored(deps, user, id)
  const { actor } = access
  if (voiding && reason === '') throw new VoidReasonRequiredError()
  const noted = reason === '' ? {} : { reason }
  let { loaded } = access
  for (let writes = 0; ; writes++) {
    const held = await expireIfDue(deps, await freshHeld(deps, loaded), context)
    const { state } = held
    if (state.voidedAt !== null) throw voiding ? new SessionVoidedError() : new SessionCompletedError()
    if (state.status === 'completed' && !voiding) throw new SessionCompletedError()
    if (writes === MAX_WRITES) throw new SessionBusyError()
    const now = deps.now()
    const meta = { now, ...context }
    const voided = voiding ? { voidedAt: now, voidReason: reason } : {}
    if (state.status === 'completed') {
      const audit = auditOf(state, actor, 'void', { reason, stopReason: state.stopReason }, now)
      if (await deps.repos.proctoring.voidEnded(state, now, actor.by, reason, sessionVoided(state, { by: actor.by, reason }, meta), audit)) {
        deps.eventsWritten()
        return stepOf({ ...state, ...voided }, null)
      }
    } else {
      const result = resultOf(held.bank, state.responses, { theta: state.theta, se: state.se }, deps.effort.flagBelow)
      const events = [sessionCompleted(state, 'time-limit', result, meta, 'proctor'), ...(voiding ? [sessionVoided(state, { by: actor.by, reason }, meta)] : [])]
      const audit = auditOf(state, actor, voiding ? 'void' : 'end', { ...noted, responseCount: state.responseCount, ended: true }, now)
      if (await deps.repos.proctoring.end({ before: state, now, result, events, void: voiding ? { by: actor.by, reason } : null, audit })) {
        deps.sessions.delete(id)
        deps.eventsWritten()
        return stepOf({ ...state, status: 'completed', completedAt: now, stopReason: 'proctor', result, pausedAt: null, ...voided }, null)
      }
    }
    loaded = await reload(deps, id)
  }
}

/** Seconds left of a live session: its clock stands still at pausedAt while it is paused or suspended. */
export function timeLeftS (row: Pick<LiveSessionRow, 'status' | 'deadlineAt' | 'pausedAt'>, now: Date): number | null {
  if (row.deadlineAt === null) return null
  const clock = row.status === 'in_progress' || row.pausedAt === null ? now : row.pausedAt
  return Math.max(0, Math.ceil((row.deadlineAt.getTime() - clock.getTime()) / 1000))
}

/**
 * The live sessions (in progress, paused, suspended) of a classroom's students in the exams assigned to it, each
 * with its response-time effort so far and whether it is low: for its teacher or an admin of its organization.
 * One query per page.
 */
export async function listClassroomSessions (deps: ExamDeps, user: AuthenticatedUser, classroomId: string, page: PageRequest): Promise<Page<LiveSessionView>> {
  if (user.role === 'student') throw new ForbiddenError('Students may not proctor sessions')
  // The user's organization first: one without any learns nothing of whether the classroom exists.
  const organizationId = organizationOf(user)
  const classroom = await deps.repos.classrooms.find(classroomId)
  if (classroom === undefined || classroom.organizationId !== organizationId) throw new ClassroomUnknownError()
  if (user.role !== 'admin' && classroom.teacherId !== user.id) throw new NotClassroomTeacherError()
  const limit = pageSize(page)
  const now = deps.now()
  const rows = await deps.repos.proctoring.live(classroomId, page.cursor, limit + 1)
  return toPage(rows.map((row) => ({ ...row, ...effortOf(row.responseCount, row.rapidGuesses, deps.effort.flagBelow), timeLeftS: timeLeftS(row, now) })), limit)
}

/** What teachers and admins did to a session as proctors, oldest first: for those who may proctor it. */
export async function sessionAudit (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<ProctorAction[]> {
  await proctored(deps, user, id)
  return await deps.repos.proctoring.audit(id, AUDIT_LIMIT)
}
