// A student's session: start (or resume) an assigned exam, see the item being shown, answer it, and get the
// result when the stopping rule fires or the time is up. Teachers and admins read their organization's
// sessions. An answer costs one statement: the session and the bank are held in memory between answers.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { exams, sessions as sessionsTable } from '@dreamseed/schema/exam'
import { newEventId } from '@dreamseed/events'
import { assertSameOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import type { ExamDeps, RequestContext } from './deps.js'
import {
  AnswerConflictError, ExamAlreadyTakenError, ExamNotFoundError, NotAssignedError, NotCurrentItemError, OptionOutOfRangeError, PoolUnavailableError,
  SessionCompletedError, SessionNotFoundError, SessionTimeUpError
} from './errors.js'
import type { OrganizationBank, Pool } from './bank-cache.js'
import { estimate, nextStep, resultOf } from './cat-step.js'
import { assignedTo, examColumns, taughtBy } from './exams.js'
import { completeSession, insertSession, loadSession, loadSessionOf, recordAnswer } from './session-store.js'
import { responseRecorded, sessionCompleted, sessionStarted } from './session-events.js'
import type { RecordedResponse, SessionState } from './session-state.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'
import { itemForStudent, sessionView, stepOf, type AnswerOutcome, type SessionStep, type SessionView } from './session-views.js'

async function bankAndPool (deps: ExamDeps, state: Pick<SessionState, 'organizationId' | 'exam'>): Promise<{ bank: OrganizationBank, pool: Pool }> {
  const bank = await deps.bank.get(state.organizationId)
  return { bank, pool: deps.bank.pool(bank, state.exam) }
}

/** The session from memory, or read whole and kept. */
async function stateOf (deps: ExamDeps, id: string): Promise<SessionState | undefined> {
  const cached = deps.sessions.get(id)
  if (cached !== undefined) return cached
  const loaded = await loadSession(deps.db, id)
  if (loaded !== undefined && loaded.status === 'in_progress') deps.sessions.set(loaded)
  return loaded
}

/** The student's own session; anyone else's is "not found". */
async function ownSession (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<SessionState> {
  const state = await stateOf(deps, id)
  if (state === undefined || state.studentId !== user.id) throw new SessionNotFoundError()
  return state
}

/** Ends a session whose time is up (once, whoever sees it first) and returns it as it now is. */
async function expireIfDue (deps: ExamDeps, state: SessionState, bank: OrganizationBank, context: RequestContext): Promise<SessionState> {
  const now = deps.now()
  if (state.status !== 'in_progress' || state.deadlineAt === null || now.getTime() < state.deadlineAt.getTime()) return state
  const result = resultOf(bank, state.responses, { theta: state.theta, se: state.se })
  const event = sessionCompleted(state, 'time-limit', result, { now, ...context })
  if (await completeSession(deps.prepared, state, result, event, now)) {
    deps.sessions.delete(state.id)
    deps.eventsWritten()
    return { ...state, status: 'completed', completedAt: now, stopReason: 'time-limit', result }
  }
  deps.sessions.delete(state.id)
  return (await stateOf(deps, state.id)) ?? state
}

export async function startSession (deps: ExamDeps, user: AuthenticatedUser, examId: string, context: RequestContext): Promise<SessionStep & { created: boolean }> {
  const [exam] = await deps.db.select({ ...examColumns, assigned: sql<boolean>`${assignedTo(user.id)}` }).from(exams).where(eq(exams.id, examId))
  if (exam === undefined) throw new ExamNotFoundError()
  // A session once started is the student's to finish, even if the exam was unassigned or they left the class.
  const existing = await loadSessionOf(deps.db, examId, user.id)
  if (existing !== undefined) return await resume(deps, existing, context)
  if (!exam.assigned) {
    if (exam.organizationId === user.organizationId) throw new NotAssignedError()
    throw new ExamNotFoundError()
  }

  const { bank, pool } = await bankAndPool(deps, { organizationId: exam.organizationId, exam })
  const now = deps.now()
  const limit = exam.stopping.timeLimitSeconds
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
    startedAt: now,
    deadlineAt: limit === undefined ? null : new Date(now.getTime() + limit * 1000),
    completedAt: null,
    stopReason: null,
    result: null,
    responses: [],
    exam
  }
  const ability = estimate(draft, bank, [])
  const step = nextStep(draft, pool, [], ability, now)
  if (step.done) throw new PoolUnavailableError()
  const state: SessionState = { ...draft, ...ability, currentItemId: step.itemId }
  if (!await insertSession(deps.db, state, sessionStarted(state, { now, ...context }))) {
    // Started a moment ago by another request of the same student.
    const raced = await loadSessionOf(deps.db, examId, user.id)
    if (raced === undefined) throw new SessionNotFoundError()
    return await resume(deps, raced, context)
  }
  deps.sessions.set(state)
  deps.eventsWritten()
  return { ...stepOf(state, bank), created: true }
}

async function resume (deps: ExamDeps, existing: SessionState, context: RequestContext): Promise<SessionStep & { created: boolean }> {
  if (existing.status === 'completed') throw new ExamAlreadyTakenError()
  const state = deps.sessions.get(existing.id) ?? existing
  const { bank } = await bankAndPool(deps, state)
  const current = await expireIfDue(deps, state, bank, context)
  if (current.status === 'in_progress') deps.sessions.set(current)
  return { ...stepOf(current, bank), created: false }
}

export async function currentStep (deps: ExamDeps, user: AuthenticatedUser, id: string, context: RequestContext): Promise<SessionStep> {
  const state = await ownSession(deps, user, id)
  const { bank } = await bankAndPool(deps, state)
  return stepOf(await expireIfDue(deps, state, bank, context), bank)
}

export interface AnswerInput {
  itemId: string
  optionIndex: number
  timeTakenMs?: number
}

/** What an answer already recorded was answered with, rebuilt exactly: the item that followed it, or its result. */
function replay (state: SessionState, bank: OrganizationBank, r: RecordedResponse): AnswerOutcome {
  const last = r.position === state.responses.length - 1
  const endedHere = last && state.status === 'completed' && state.stopReason !== 'time-limit'
  const nextId = last ? (endedHere ? null : state.currentItemId) : state.responses[r.position + 1]!.itemId
  return {
    answer: { itemId: r.itemId, optionIndex: r.optionIndex, position: r.position, timeTakenMs: r.timeTakenMs },
    session: sessionView(state),
    item: itemForStudent(bank, nextId, r.position + 1),
    result: endedHere ? state.result : null
  }
}

export async function answer (deps: ExamDeps, user: AuthenticatedUser, id: string, input: AnswerInput, context: RequestContext): Promise<AnswerOutcome> {
  let state = await ownSession(deps, user, id)
  for (let attempt = 0; ; attempt++) {
    const { bank, pool } = await bankAndPool(deps, state)
    const earlier = state.responses.find((r) => r.itemId === input.itemId)
    if (earlier !== undefined) {
      if (earlier.optionIndex !== input.optionIndex) throw new AnswerConflictError()
      return replay(state, bank, earlier)
    }
    if (state.status === 'completed') throw new SessionCompletedError()
    const now = deps.now()
    if (state.deadlineAt !== null && now.getTime() >= state.deadlineAt.getTime()) {
      await expireIfDue(deps, state, bank, context)
      throw new SessionTimeUpError()
    }
    if (input.itemId !== state.currentItemId) throw new NotCurrentItemError()
    const item = bank.items.get(input.itemId)
    if (item === undefined) throw new NotCurrentItemError()
    if (input.optionIndex >= item.options.length) throw new OptionOutOfRangeError()

    const pretest = state.exam.kind === 'adaptive' && !pool.index.has(item.id) && item.status === 'pretest'
    const response: RecordedResponse = {
      position: state.responseCount,
      itemId: item.id,
      optionIndex: input.optionIndex,
      correct: input.optionIndex === item.correctIndex,
      pretest,
      thetaAfter: state.theta,
      seAfter: state.se,
      timeTakenMs: input.timeTakenMs ?? null,
      servedAt: state.currentServedAt ?? state.startedAt,
      answeredAt: now
    }
    const responses = [...state.responses, response]
    const ability = pretest ? { theta: state.theta, se: state.se } : estimate(state, bank, responses)
    response.thetaAfter = ability.theta
    response.seAfter = ability.se
    const step = nextStep(state, pool, responses, ability, now)
    const scored = responses.filter((r) => !r.pretest)
    const result = step.done ? resultOf(bank, responses, ability) : null
    const after: SessionState = {
      ...state,
      ...ability,
      status: step.done ? 'completed' : 'in_progress',
      responseCount: responses.length,
      itemsAnswered: scored.length,
      correctCount: scored.filter((r) => r.correct).length,
      currentItemId: step.done ? null : step.itemId,
      currentServedAt: step.done ? null : now,
      completedAt: step.done ? now : null,
      stopReason: step.done ? step.reason : null,
      result,
      responses
    }
    const meta = { now, ...context }
    const events = [responseRecorded(state, response, meta)]
    if (step.done) events.push(sessionCompleted(state, step.reason, result!, meta))
    const written = await recordAnswer(deps.prepared, { before: state, response, after, events, now })
    if (written.bankVersion !== null) deps.bank.observe(state.organizationId, written.bankVersion)
    if (written.recorded) {
      if (after.status === 'in_progress') deps.sessions.set(after)
      else deps.sessions.delete(after.id)
      deps.eventsWritten()
      return { answer: { itemId: item.id, optionIndex: input.optionIndex, position: response.position, timeTakenMs: response.timeTakenMs }, ...stepOf(after, bank) }
    }
    // The session moved on elsewhere (another replica, a concurrent retry, its time ran out): read it again.
    deps.sessions.delete(id)
    if (attempt > 0) throw new NotCurrentItemError()
    const fresh = await loadSession(deps.db, id)
    if (fresh === undefined) throw new SessionNotFoundError()
    if (fresh.status === 'in_progress') deps.sessions.set(fresh)
    state = fresh
  }
}

/**
 * A session for its student, a teacher of one of the student's classrooms or an admin of its organization
 * (the last two with every response). Anyone else is told it does not exist.
 */
export async function getSession (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<SessionView & { responses?: RecordedResponse[] }> {
  const state = await stateOf(deps, id)
  if (state === undefined) throw new SessionNotFoundError()
  if (user.role === 'student') {
    if (state.studentId !== user.id) throw new SessionNotFoundError()
    return sessionView(state)
  }
  assertSameOrganization(user, state.organizationId)
  if (user.role === 'teacher' && !await teaches(deps, user.id, state.studentId)) throw new SessionNotFoundError()
  return { ...sessionView(state), responses: state.responses }
}

async function teaches (deps: ExamDeps, teacherId: string, studentId: string): Promise<boolean> {
  const [row] = await deps.db.select({ yes: sql<boolean>`${taughtBy(teacherId, studentId)}` }).from(sql`(select 1) as one`)
  return row?.yes === true
}

const sessionColumns = {
  id: sessionsTable.id,
  examId: sessionsTable.examId,
  studentId: sessionsTable.studentId,
  status: sessionsTable.status,
  startedAt: sessionsTable.startedAt,
  deadlineAt: sessionsTable.deadlineAt,
  completedAt: sessionsTable.completedAt,
  stopReason: sessionsTable.stopReason,
  itemsAnswered: sessionsTable.itemsAnswered,
  responseCount: sessionsTable.responseCount,
  result: sessionsTable.result
}

/**
 * A student's own sessions; a teacher's students' (members of their classrooms); an admin's organization's.
 * Of one exam if asked, in one query.
 */
export async function listSessions (deps: ExamDeps, user: AuthenticatedUser, filter: PageRequest & { examId?: string }): Promise<Page<SessionView>> {
  const limit = pageSize(filter)
  const conditions: SQL[] = []
  if (user.role === 'student') conditions.push(eq(sessionsTable.studentId, user.id))
  else {
    if (user.organizationId === null) return { items: [], nextCursor: null }
    conditions.push(eq(sessionsTable.organizationId, user.organizationId))
    if (user.role === 'teacher') conditions.push(taughtBy(user.id, sql`${sessionsTable.studentId}`))
  }
  if (filter.examId !== undefined) conditions.push(eq(sessionsTable.examId, filter.examId))
  if (filter.cursor !== undefined) conditions.push(gt(sessionsTable.id, filter.cursor))
  const rows = await deps.db.select(sessionColumns).from(sessionsTable).where(and(...conditions)).orderBy(asc(sessionsTable.id)).limit(limit + 1)
  return toPage(rows, limit)
}

/**
 * Ends sessions whose time ran out while nobody was looking (the student closed the page), so their result and
 * completed event exist. A batch per call; each session ends through the same conditional statement as
 * everywhere else, so replicas running this at once end each session once.
 */
export async function expireDueSessions (deps: ExamDeps, batch: number): Promise<number> {
  const due = await deps.db.select({ id: sessionsTable.id }).from(sessionsTable)
    .where(and(eq(sessionsTable.status, 'in_progress'), sql`${sessionsTable.deadlineAt} <= ${deps.now().toISOString()}::timestamptz`))
    .orderBy(asc(sessionsTable.deadlineAt)).limit(batch)
  let ended = 0
  for (const { id } of due) {
    deps.sessions.delete(id)
    const state = await loadSession(deps.db, id)
    if (state === undefined || state.status !== 'in_progress') continue
    const { bank } = await bankAndPool(deps, state)
    if ((await expireIfDue(deps, state, bank, {})).status === 'completed') ended++
  }
  return ended
}
