// Exams for teachers and admins: create a fixed form or an adaptive exam over their organization's items,
// list and read them, and assign them to classrooms. Students list the exams assigned to their classrooms.
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { assignments, classroomMembers, classrooms, examOutbox, exams, sessions } from '@dreamseed/schema/exam'
import { examAssignmentChangedV1, newEnvelope, newEventId, outboxRow } from '@dreamseed/events'
import type { AuthenticatedUser, ErrorDetail } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { ClassroomUnknownError, ExamInvalidError, ExamNotFoundError, NotClassroomTeacherError } from '../errors.js'
import { planExam, type ExamInput, type ExamPlan } from './exam-input.js'
import { inAdaptivePool } from './item-pool.js'
import type { AssignedExamView, ExamView, OrganizationBank } from './model.js'
import { organizationOf } from './items.js'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'

export const examColumns = {
  id: exams.id,
  organizationId: exams.organizationId,
  createdBy: exams.createdBy,
  title: exams.title,
  kind: exams.kind,
  subject: exams.subject,
  topics: exams.topics,
  itemIds: exams.itemIds,
  settings: exams.settings,
  stopping: exams.stopping,
  createdAt: exams.createdAt
}
const classroomIds = sql<string[]>`coalesce((select array_agg(a.classroom_id order by a.classroom_id) from exam.assignments a where a.exam_id = ${exams.id}), '{}')`

/** The problems of a plan against the organization's bank as it is now. */
function poolProblems (plan: ExamPlan, bank: OrganizationBank): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  if (plan.kind === 'fixed') {
    plan.itemIds.forEach((id, i) => {
      const item = bank.items.get(id)
      if (item === undefined || (item.status !== 'active' && item.status !== 'pretest')) problems.push({ path: `itemIds.${i}`, message: 'is not an active item of your organization' })
    })
    return problems
  }
  const pool = [...bank.items.values()].filter((i) => i.status === 'active' && inAdaptivePool(i, plan))
  if (pool.length === 0) problems.push({ path: 'subject', message: 'no active item of your organization is in this pool' })
  const topics = new Set(pool.flatMap((i) => i.topics))
  for (const topic of Object.keys(plan.settings.contentTargets ?? {})) {
    if (!topics.has(topic)) problems.push({ path: `contentTargets.${topic}`, message: 'no active item of the pool has this topic' })
  }
  const ids = new Set(pool.map((i) => i.id))
  for (const id of Object.keys(plan.settings.sympsonHetter ?? {})) {
    if (!ids.has(id)) problems.push({ path: `sympsonHetter.${id}`, message: 'is not an active item of the pool' })
  }
  return problems
}

export async function createExam (deps: ExamDeps, user: AuthenticatedUser, input: ExamInput): Promise<ExamView> {
  const organizationId = organizationOf(user)
  const plan = planExam(input)
  // The version is read first: an item changed through another replica a moment ago counts.
  const problems = poolProblems(plan, await deps.bank.get(organizationId, await deps.repos.itemBank.version(organizationId)))
  if (problems.length > 0) throw new ExamInvalidError(problems)
  const now = deps.now()
  const row = { id: newEventId(), organizationId, createdBy: user.id, ...plan, createdAt: now, updatedAt: now }
  await deps.db.insert(exams).values(row)
  return { ...row, classroomIds: [] }
}

/** One page of the organization's exams, newest last, in one query. */
export async function listExams (deps: ExamDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<ExamView>> {
  const organizationId = organizationOf(user)
  const limit = pageSize(page)
  const conditions: SQL[] = [eq(exams.organizationId, organizationId)]
  if (page.cursor !== undefined) conditions.push(gt(exams.id, page.cursor))
  const rows = await deps.db.select({ ...examColumns, classroomIds }).from(exams).where(and(...conditions)).orderBy(asc(exams.id)).limit(limit + 1)
  return toPage(rows, limit)
}

/** The exam, looked up within the user's organization: another organization's is "not found", like a made-up id. */
export async function getExam (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<ExamView> {
  const [row] = await deps.db.select({ ...examColumns, classroomIds }).from(exams).where(and(eq(exams.id, id), eq(exams.organizationId, organizationOf(user))))
  if (row === undefined) throw new ExamNotFoundError()
  return row
}

/** Assigns an exam to a classroom of its organization: the classroom's teacher or an admin may. */
export async function assignExam (deps: ExamDeps, user: AuthenticatedUser, examId: string, classroomId: string): Promise<void> {
  const exam = await getExam(deps, user, examId)
  const [classroom] = await deps.db.select({ organizationId: classrooms.organizationId, teacherId: classrooms.teacherId }).from(classrooms).where(eq(classrooms.id, classroomId))
  if (classroom === undefined || classroom.organizationId !== exam.organizationId) throw new ClassroomUnknownError()
  if (user.role !== 'admin' && classroom.teacherId !== user.id) throw new NotClassroomTeacherError()
  const now = deps.now()
  const changed = await deps.db.transaction(async (tx) => {
    const inserted = await tx.insert(assignments).values({ examId, classroomId, assignedBy: user.id, assignedAt: now }).onConflictDoNothing().returning({ examId: assignments.examId })
    if (inserted.length > 0) await tx.insert(examOutbox).values(assignmentChanged(exam, classroomId, true, user.id, now))
    return inserted.length > 0
  })
  if (changed) deps.eventsWritten()
}

export async function unassignExam (deps: ExamDeps, user: AuthenticatedUser, examId: string, classroomId: string): Promise<void> {
  const exam = await getExam(deps, user, examId)
  const [classroom] = await deps.db.select({ teacherId: classrooms.teacherId }).from(classrooms).where(and(eq(classrooms.id, classroomId), eq(classrooms.organizationId, exam.organizationId)))
  if (classroom === undefined) throw new ClassroomUnknownError()
  if (user.role !== 'admin' && classroom.teacherId !== user.id) throw new NotClassroomTeacherError()
  const now = deps.now()
  const changed = await deps.db.transaction(async (tx) => {
    const deleted = await tx.delete(assignments).where(and(eq(assignments.examId, examId), eq(assignments.classroomId, classroomId))).returning({ examId: assignments.examId })
    if (deleted.length > 0) await tx.insert(examOutbox).values(assignmentChanged(exam, classroomId, false, user.id, now))
    return deleted.length > 0
  })
  if (changed) deps.eventsWritten()
}

/** exam.assignment.changed, written only when an assignment was really added or withdrawn (repeats are no-ops). */
const assignmentChanged = (exam: ExamView, classroomId: string, assigned: boolean, by: string, now: Date) => outboxRow(newEnvelope(examAssignmentChangedV1, {
  examId: exam.id,
  classroomId,
  organizationId: exam.organizationId,
  title: exam.title,
  examKind: exam.kind,
  subject: exam.subject,
  assigned,
  changedBy: by,
  changedAt: now.toISOString()
}, { now }), exam.id)

/** Whether a student belongs (now) to a classroom the exam is assigned to, as a condition on exams.id. */
export const assignedTo = (studentId: string): SQL => sql`exists (select 1 from ${assignments} a join ${classroomMembers} m on m.classroom_id = a.classroom_id
  where a.exam_id = ${exams.id} and m.user_id = ${studentId} and not m.removed)`

/** Whether a student is (now) a member of one of a teacher's classrooms, as a condition on a student id column. */
export const taughtBy = (teacherId: string, studentId: SQL | string): SQL => sql`exists (select 1 from ${classrooms} c join ${classroomMembers} m on m.classroom_id = c.id
  where c.teacher_id = ${teacherId} and m.user_id = ${studentId} and not m.removed)`

/** The exams assigned to a student's classrooms, with their own session of each if any, in one query. */
export async function listAssignedExams (deps: ExamDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<AssignedExamView>> {
  const limit = pageSize(page)
  const conditions: SQL[] = [assignedTo(user.id)]
  if (page.cursor !== undefined) conditions.push(gt(exams.id, page.cursor))
  const rows = await deps.db.select({ id: exams.id, title: exams.title, kind: exams.kind, stopping: exams.stopping, sessionId: sessions.id, sessionStatus: sessions.status })
    .from(exams).leftJoin(sessions, and(eq(sessions.examId, exams.id), eq(sessions.studentId, user.id)))
    .where(and(...conditions)).orderBy(asc(exams.id)).limit(limit + 1)
  const shown = toPage(rows, limit)
  return {
    nextCursor: shown.nextCursor,
    items: shown.items.map((r) => ({ id: r.id, title: r.title, kind: r.kind, timeLimitSeconds: r.stopping.timeLimitSeconds ?? null, session: r.sessionId === null ? null : { id: r.sessionId, status: r.sessionStatus! } }))
  }
}
