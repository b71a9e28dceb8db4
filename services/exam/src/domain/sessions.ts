// A student's session: start (or resume) an assigned exam and see the item being shown (answering it is
// answer-item.ts). Teachers and admins read their organization's sessions. Every read here is the database's
// state, with a bank at least as new as the database's: replicas hold no state a request could trust blindly.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { exams, sessions as sessionsTable } from '@dreamseed/schema/exam'
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import type { RecordedResponse, RequestContext, SessionState } from './model.js'
import { poolOf } from './item-pool.js'
import { ExamAlreadyTakenError, ExamNotFoundError, NotAssignedError, PoolUnavailableError, SessionNotFoundError } from '../errors.js'
import { estimate, nextStep } from './cat-step.js'
import { assignedTo, examColumns, taughtBy } from './exams.js'
import { organizationOf } from './items.js'
import { bankVersionOf } from '../repositories/item-bank-repository.js'
import { insertSession, loadSession, loadSessionOf, type LoadedSession } from './session-store.js'
import { sessionStarted } from './session-events.js'
import { expireIfDue, freshHeld, readOwnSession, remember } from './session-reads.js'
import { sessionView, stepOf, type SessionStep, type SessionView } from './session-views.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'

export async function startSession (deps: ExamDeps, user: AuthenticatedUser, examId: string, context: RequestContext): Promise<SessionStep & { created: boolean }> {
  // The bank version comes with the exam, so the first item is chosen from the items as they are now; whether
  // the student has a session of it comes too, so an exam they may not take costs this one statement.
  const [row] = await deps.db.select({
    ...examColumns,
    assigned: sql<boolean>`${assignedTo(user.id)}`,
    started: sql<boolean>`exists (select 1 from ${sessionsTable} x where x.exam_id = ${examId} and x.student_id = ${user.id})`,
    bankVersion: sql<string>`${bankVersionOf(sql`${exams.organizationId}`)}`
  }).from(exams).where(eq(exams.id, examId))
  if (row === undefined) throw new ExamNotFoundError()
  const { assigned, started, bankVersion, ...exam } = row
  // A session once started is the student's to finish, even if the exam was unassigned or they left the class.
  const existing = started ? await loadSessionOf(deps.db, examId, user.id) : undefined
  if (existing !== undefined) return await resume(deps, existing, context)
  if (!assigned) {
    if (exam.organizationId === user.organizationId) throw new NotAssignedError()
    throw new ExamNotFoundError()
  }

  const bank = await deps.bank.get(exam.organizationId, Number(bankVersion))
  const pool = poolOf(bank, exam)
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
  const inserted = await insertSession(deps.db, state, sessionStarted(state, { now, ...context }))
  if (inserted === undefined) {
    // Started a moment ago by another request of the same student.
    const raced = await loadSessionOf(deps.db, examId, user.id)
    if (raced === undefined) throw new SessionNotFoundError()
    return await resume(deps, raced, context)
  }
  deps.sessions.set(state, inserted.shown)
  deps.eventsWritten()
  return { ...stepOf(state, inserted.shown), created: true }
}

async function resume (deps: ExamDeps, existing: LoadedSession, context: RequestContext): Promise<SessionStep & { created: boolean }> {
  if (existing.state.status === 'completed') {
    remember(deps, existing.state, existing.shown)
    throw new ExamAlreadyTakenError()
  }
  const held = await expireIfDue(deps, await freshHeld(deps, existing), context)
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
  const loaded = await loadSession(deps.db, id, student ? { studentId: user.id } : { organizationId: organizationOf(user) })
  if (loaded === undefined) throw new SessionNotFoundError()
  const { state } = loaded
  if (student) {
    remember(deps, state, loaded.shown)
    return sessionView(state)
  }
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
