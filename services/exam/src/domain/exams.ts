// Exams for teachers and admins: create a fixed form or an adaptive exam over their organization's items,
// list and read them, and assign them to classrooms. Students list the exams assigned to their classrooms.
import { newEventId } from '@dreamseed/events'
import type { AuthenticatedUser, Page, PageRequest } from '@dreamseed/kit'
import type { ExamDeps } from './deps.js'
import { ClassroomUnknownError, ExamInvalidError, ExamNotFoundError, NotClassroomTeacherError } from '../errors.js'
import { planExam, type ExamInput } from './exam-input.js'
import { poolProblems } from './item-pool.js'
import type { AssignedExamView, ExamView } from './model.js'
import { organizationOf } from './items.js'
import { assignmentChanged } from './assignment-events.js'
import { sessionTimeLimitSeconds } from './time-limit.js'

export async function createExam (deps: ExamDeps, user: AuthenticatedUser, input: ExamInput): Promise<ExamView> {
  const organizationId = organizationOf(user)
  const plan = planExam(input)
  // The version is read first: an item changed through another replica a moment ago counts.
  const problems = poolProblems(plan, await deps.bank.get(organizationId, await deps.repos.itemBank.version(organizationId)))
  if (problems.length > 0) throw new ExamInvalidError(problems)
  const now = deps.now()
  const row = { id: newEventId(), organizationId, createdBy: user.id, ...plan, createdAt: now, updatedAt: now }
  await deps.repos.exams.insert(row)
  return { ...row, classroomIds: [] }
}

/** One page of the organization's exams, newest last, in one query. */
export async function listExams (deps: ExamDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<ExamView>> {
  return await deps.repos.exams.list(organizationOf(user), page)
}

/** The exam, looked up within the user's organization: another organization's is "not found", like a made-up id. */
export async function getExam (deps: ExamDeps, user: AuthenticatedUser, id: string): Promise<ExamView> {
  const exam = await deps.repos.exams.get(id, organizationOf(user))
  if (exam === undefined) throw new ExamNotFoundError()
  return exam
}

/** The classroom an exam of `user`'s is (un)assigned to: of the exam's organization, and taught by `user` unless an admin. */
async function classroomFor (deps: ExamDeps, user: AuthenticatedUser, exam: ExamView, classroomId: string): Promise<void> {
  const classroom = await deps.repos.classrooms.find(classroomId)
  if (classroom === undefined || classroom.organizationId !== exam.organizationId) throw new ClassroomUnknownError()
  if (user.role !== 'admin' && classroom.teacherId !== user.id) throw new NotClassroomTeacherError()
}

/** Assigns an exam to a classroom of its organization: the classroom's teacher or an admin may. */
export async function assignExam (deps: ExamDeps, user: AuthenticatedUser, examId: string, classroomId: string): Promise<void> {
  const exam = await getExam(deps, user, examId)
  await classroomFor(deps, user, exam, classroomId)
  const now = deps.now()
  const changed = await deps.repos.transaction(async (tx) =>
    await tx.exams.assign({ examId, classroomId, assignedBy: user.id, assignedAt: now }, assignmentChanged(exam, classroomId, true, user.id, now)))
  if (changed) deps.eventsWritten()
}

export async function unassignExam (deps: ExamDeps, user: AuthenticatedUser, examId: string, classroomId: string): Promise<void> {
  const exam = await getExam(deps, user, examId)
  await classroomFor(deps, user, exam, classroomId)
  const now = deps.now()
  const changed = await deps.repos.transaction(async (tx) => await tx.exams.unassign(examId, classroomId, assignmentChanged(exam, classroomId, false, user.id, now)))
  if (changed) deps.eventsWritten()
}

/** The exams assigned to a student's classrooms, with their own session of each if any, in one query. */
export async function listAssignedExams (deps: ExamDeps, user: AuthenticatedUser, page: PageRequest): Promise<Page<AssignedExamView>> {
  const assigned = await deps.repos.exams.listAssigned(user.id, page)
  return {
    nextCursor: assigned.nextCursor,
    items: assigned.items.map(({ examTimeLimitSeconds, ...exam }) => ({ ...exam, timeLimitSeconds: sessionTimeLimitSeconds(examTimeLimitSeconds ?? undefined, exam.accommodations) ?? null }))
  }
}
