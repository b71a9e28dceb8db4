// A student's session: start (or continue) an assigned exam and see the item being shown (answering it is
// answer-item.ts; pausing and resuming, pause-session.ts). Teachers and admins read their organization's sessions. Every read here is the database's
// state, with a bank at least as new as the database's: replicas hold no state a request could trust blindly.
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, Page, PageRequest } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import type { RecordedResponse, RequestContext, SessionState } from './model.js'
import { poolOf } from './item-pool.js'
import { ExamAlreadyTakenError, ExamNotFoundError, NotAssignedError, PoolUnavailableError, ResumeWindowPassedError, SessionNotFoundError } from '../errors.js'
import { estimate, nextStep } from './cat-step.js'
import { organizationOf } from './items.js'
import type { LoadedSession } from '../repositories/sessions-repository.js'
import { sessionStarted } from './session-events.js'
import { expireIfDue, freshHeld, readOwnSession, remember } from './session-reads.js'
import { sessionView, stepOf, type SessionStep, type SessionView } from './session-views.js'
import { RESUME_WINDOW, resumeHeld } from './pause-session.js'
import { sessionTimeLimitSeconds } from './time-limit.js'

export async function startSession (deps: ExamDeps, user: AuthenticatedUser, examId: string, context: RequestContext): Promise<SessionStep & { created: boolean }> {
  // The bank version comes with the exam, so the first item is chosen from the items as they are now; whether
  // the student has a session of it comes too, so an exam they may not take costs this one statement.
  const found = await deps.repos.exams.forStudent(examId, user.id)
  if (found === undefined) throw new ExamNotFoundError()
  const { exam, assigned, started, bankVersion, accommodations } = found
  // A session once started is the student's to finish, even if the exam was unassigned or they left the class.
  const existing = started ? await deps.repos.sessions.loadOf(examId, user.id) : undefined
  if (existing !== undefined) return await continueSession(deps, user, existing, context)
  if (!assigned) {
    if (exam.organizationId === user.organizationId) throw new NotAssignedError()
    throw new ExamNotFoundError()
  }

  const bank = await deps.bank.get(exam.organizationId, bankVersion)
  const pool = poolOf(bank, exam)
  const now = deps.now()
  // The profile in force now is copied onto the session: a later change of it leaves this session as it is.
  const limit = sessionTimeLimitSeconds(exam.stopping.timeLimitSeconds, accommodations)
  const draft: SessionState = {
    id: newEventId(),
    examId,
    organizationId: exam.organizationId,
    studentId: user.id,
    status: 'in_progress',
    seed: deps.newSeed(),
    theta: 0,
    se: 0,
    responseCount: 0,
    itemsAnswered: 0,
    correctCount: 0,
    currentItemId: null,
    currentServedAt: now,
    currentThresholdMs: null,
    rapidCount: 0,
    startedAt: now,
    deadlineAt: limit === undefined ? null : new Date(now.getTime() + limit * 1000),
    completedAt: null,
    stopReason: null,
    result: null,
    lastActivityAt: now,
    pausedAt: null,
    pausedBy: null,
    pauseReason: null,
    pausedMs: 0,
    extendedS: 0,
    voidedAt: null,
    voidReason: null,
    accommodations,
    responses: [],
    exam
  }
  const { likelihood, ...ability } = estimate(draft, bank, [])
  const step = nextStep(draft, pool, [], ability, now)
  if (step.done) throw new PoolUnavailableError()
  const state: SessionState = { ...draft, ...ability, currentItemId: step.itemId }
  const inserted = await deps.repos.transaction(async (tx) => await tx.sessions.insert(state, sessionStarted(state, { now, ...context }), deps.effort.defaultThresholdMs))
  if (inserted === undefined) {
    // Started a moment ago by another request of the same student.
    const raced = await deps.repos.sessions.loadOf(examId, user.id)
    if (raced === undefined) throw new SessionNotFoundError()
    return await continueSession(deps, user, raced, context)
  }
  deps.sessions.set({ ...state, currentThresholdMs: inserted.thresholdMs }, inserted.shown, likelihood)
  deps.eventsWritten()
  return { ...stepOf(state, inserted.shown), created: true }
}

/**
 * The student's session started before: in progress, as it is; paused by them or suspended, resumed (what a
 * "continue" button means); paused by a teacher or an admin, as it is, standing still until they resume it.
 */
async function continueSession (deps: ExamDeps, user: AuthenticatedUser, existing: LoadedSession, context: RequestContext): Promise<SessionStep & { created: boolean }> {
  const { state } = existing
  if (state.status === 'completed') {
    remember(deps, state, existing.shown)
    throw state.stopReason === RESUME_WINDOW ? new ResumeWindowPassedError() : new ExamAlreadyTakenError()
  }
  const fresh = await freshHeld(deps, existing)
  const pausedByStaff = state.status === 'paused' && state.pauseReason !== 'student'
  const held = pausedByStaff ? fresh : await resumeHeld(deps, fresh, { by: user.id, reason: 'student' }, context)
  return { ...stepOf(held.state, held.shown), created: false }
}

export async function currentStep (deps: ExamDeps, user: AuthenticatedUser, id: string, context: RequestContext): Promise<SessionStep> {
  const held = await expireIfDue(deps, await readOwnSession(deps, user, id), context)
  return stepOf(held.state, held.shown)
}

/**
 * A session for its student, a teacher of one of the student's classrooms or an admin of its organization
 * (the last two with every response). Anyone else is told it does not exist, and only the student's or the
 * organization's sessions are read.
 */
export async function getSession (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<SessionView & { responses?: RecordedResponse[] }> {
  const student = user.role === 'student'
  const loaded = await deps.repos.sessions.load(id, student ? { studentId: user.id } : { organizationId: organizationOf(user) })
  if (loaded === undefined) throw new SessionNotFoundError()
  const { state } = loaded
  if (student) {
    remember(deps, state, loaded.shown)
    return sessionView(state)
  }
  if (user.role === 'teacher' && !await deps.repos.classrooms.teaches(user.id, state.studentId)) throw new SessionNotFoundError()
  return { ...sessionView(state), responses: state.responses }
}

/**
 * A student's own sessions; a teacher's students' (members of their classrooms); an admin's organization's.
 * Of one exam if asked, in one query.
 */
export async function listSessions (deps: ExamDeps, user: AuthenticatedUser, filter: PageRequest & { examId?: string }): Promise<Page<SessionView>> {
  if (user.role === 'student') return await deps.repos.sessions.list({ studentId: user.id }, filter)
  if (user.organizationId === null) return { items: [], nextCursor: null }
  return await deps.repos.sessions.list({ organizationId: user.organizationId, ...(user.role === 'teacher' ? { teacherId: user.id } : {}) }, filter)
}
