// Pausing and resuming a session. A pause stops the session's clock: no answer is taken, and on resume its
// deadline moves by the time it stood still. Nothing of its adaptive state moves: the responses, the seed and the
// item being shown are the database's, so the session goes on with the very item, ability and exposure draws it
// had, on any replica. The server suspends idle sessions the same way (expire-sessions.ts).
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import type { PauseReason, RequestContext, SessionState } from './model.js'
import { NotSessionTeacherError, PausedByStaffError, ResumeWindowPassedError, SessionBusyError, SessionCompletedError, SessionNotFoundError } from '../errors.js'
import { organizationOf } from './items.js'
import type { LoadedSession } from '../repositories/sessions-repository.js'
import { sessionPaused, sessionResumed } from './session-events.js'
import { expireIfDue, freshHeld, type Held } from './session-reads.js'
import { proctorAction } from './proctor-audit.js'
import { stepOf, type SessionStep } from './session-views.js'

/** The stop reason a session left stopped past its resume window ends with. */
export const RESUME_WINDOW = 'resume-window'

/** Who may pause and resume: the role they do it as. */
export type Actor = { by: string, reason: Exclude<PauseReason, 'idle'> }

/** Writes tried per pause or resume before the request is told to try again (each after a fresh read). */
const MAX_WRITES = 3

/**
 * The session as the database has it, for a user who may pause or resume it: its student, an admin of its
 * organization, or a teacher of a classroom the exam is assigned to and the student belongs to. A teacher who
 * teaches the student elsewhere sees the session but is refused; anyone else is told it does not exist.
 */
export async function sessionFor (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<{ loaded: LoadedSession, actor: Actor }> {
  if (user.role === 'student') {
    const loaded = await deps.repos.sessions.load(id, { studentId: user.id })
    if (loaded === undefined) throw new SessionNotFoundError()
    return { loaded, actor: { by: user.id, reason: 'student' } }
  }
  const loaded = await deps.repos.sessions.load(id, { organizationId: organizationOf(user) })
  if (loaded === undefined) throw new SessionNotFoundError()
  if (user.role === 'teacher') {
    const access = await deps.repos.classrooms.sessionAccess(user.id, loaded.state.studentId, loaded.state.examId)
    if (!access.sees) throw new SessionNotFoundError()
    if (!access.assigned) throw new NotSessionTeacherError()
  }
  return { loaded, actor: { by: user.id, reason: user.role } }
}

export async function reload (deps: ExamDeps, id: string): Promise<LoadedSession> {
  const loaded = await deps.repos.sessions.load(id)
  if (loaded === undefined) throw new SessionNotFoundError()
  return loaded
}

const endedError = (state: SessionState): Error => state.stopReason === RESUME_WINDOW ? new ResumeWindowPassedError() : new SessionCompletedError()

export async function pauseSession (deps: ExamDeps, user: AuthenticatedUser, id: string, context: RequestContext): Promise<SessionStep> {
  const access = await sessionFor(deps, user, id)
  const { actor } = access
  let { loaded } = access
  for (let writes = 0; ; writes++) {
    // A session whose time is up ends now rather than stopping with no time left.
    const { state, shown } = await expireIfDue(deps, await freshHeld(deps, loaded), context)
    if (state.status === 'completed') throw endedError(state)
    // Already standing still: as it is (a second pause changes nothing, and says nothing).
    if (state.status !== 'in_progress') return stepOf(state, shown)
    if (writes === MAX_WRITES) throw new SessionBusyError()
    const now = deps.now()
    const pause = { by: actor.by, reason: actor.reason, at: now }
    const audit = proctorAction(state, actor, 'pause', { statusBefore: state.status }, now)
    if (await deps.repos.pauses.pause(state, actor.by, actor.reason, now, sessionPaused(state, pause, { now, ...context }), audit)) {
      deps.sessions.delete(id)
      deps.eventsWritten()
      return stepOf({ ...state, status: 'paused', pausedAt: now, pausedBy: actor.by, pauseReason: actor.reason }, null)
    }
    loaded = await reload(deps, id)
  }
}

export async function resumeSession (deps: ExamDeps, user: AuthenticatedUser, id: string, context: RequestContext): Promise<SessionStep> {
  const { loaded, actor } = await sessionFor(deps, user, id)
  const held = await resumeHeld(deps, await freshHeld(deps, loaded), actor, context)
  return stepOf(held.state, held.shown)
}

/**
 * Resumes a session the caller holds fresh, if it stands still: paused or suspended, within its window, and not
 * paused by a teacher or an admin when a student resumes it. A session in progress comes back as it is (its time
 * checked); an ended one is refused. Nothing is written on a refusal.
 */
export async function resumeHeld (deps: ExamDeps, held: Held, actor: Actor, context: RequestContext): Promise<Held> {
  for (let writes = 0; ; writes++) {
    const { state } = held
    if (state.status === 'completed') throw endedError(state)
    if (state.status === 'in_progress') return await expireIfDue(deps, held, context)
    if (actor.reason === 'student' && (state.pauseReason === 'teacher' || state.pauseReason === 'admin')) throw new PausedByStaffError()
    const now = deps.now()
    if (now.getTime() >= state.startedAt.getTime() + deps.pauses.resumeWindowMs) throw new ResumeWindowPassedError()
    if (writes === MAX_WRITES) throw new SessionBusyError()
    // A clock another replica reads slightly behind never runs the deadline backwards.
    const pausedMs = Math.max(0, now.getTime() - state.pausedAt!.getTime())
    const deadlineAt = state.deadlineAt === null ? null : new Date(state.deadlineAt.getTime() + pausedMs)
    const resumed = sessionResumed(state, { ...actor, pausedMs, deadlineAt }, { now, ...context })
    const audit = proctorAction(state, actor, 'resume', { statusBefore: state.status, pausedMs, deadlineAt: deadlineAt?.toISOString() ?? null }, now)
    const written = await deps.repos.pauses.resume({ before: state, now, pausedMs, resumed, ...(audit === undefined ? {} : { audit }) })
    if (written !== undefined) {
      const after: SessionState = {
        ...state,
        status: 'in_progress',
        deadlineAt,
        currentServedAt: state.currentServedAt === null ? null : new Date(state.currentServedAt.getTime() + pausedMs),
        pausedAt: null,
        pausedMs: state.pausedMs + pausedMs,
        lastActivityAt: now
      }
      deps.sessions.set(after, written.shown)
      deps.eventsWritten()
      return { ...held, state: after, shown: written.shown }
    }
    held = await freshHeld(deps, await reload(deps, state.id))
  }
}
