// Who may read what: a student only themselves, a teacher their classrooms and the students in them, an admin
// their organization. Every report is authorized before any work: what can be decided from the token alone
// (a student asking for someone else, a staff member of no organization) costs no query; the rest costs one
// indexed lookup of the record's organization and teachers, and only then are the report's queries run.
// Another organization's id is answered exactly like an id that does not exist. Reports carry the facts these
// rules need, so an answer from the cache is checked exactly like a fresh one.
import { ForbiddenError, assertOwnOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import type { ClassroomAccess, StudentAccess } from '../repositories/access-repository.js'
import { ClassroomNotFoundError, NoOrganizationError, NotYourClassroomError, NotYourStudentError, StudentNotFoundError } from '../errors.js'

export function organizationOf (user: AuthenticatedUser): string {
  if (user.organizationId === null) throw new NoOrganizationError()
  return user.organizationId
}

/** What the token alone decides about reading a student's reports. */
export function assertMayAskForStudent (user: AuthenticatedUser, studentId: string): void {
  if (user.id === studentId) return
  if (user.role === 'student') throw new ForbiddenError('A student may only see their own progress')
  organizationOf(user)
}

export function assertMayReadStudent (user: AuthenticatedUser, access: StudentAccess): void {
  if (user.id === access.studentId) return
  assertMayAskForStudent(user, access.studentId)
  assertOwnOrganization(user, access.organizationId, () => new StudentNotFoundError())
  if (user.role === 'teacher' && !access.teacherIds.includes(user.id)) throw new NotYourStudentError()
}

export function assertMayReadClassroom (user: AuthenticatedUser, classroom: { organizationId: string, teacherId: string } | null): asserts classroom {
  if (user.role === 'student') throw new ForbiddenError('Students do not see classroom reports')
  assertOwnOrganization(user, classroom?.organizationId ?? null, () => new ClassroomNotFoundError())
  if (user.role === 'teacher' && user.id !== classroom!.teacherId) throw new NotYourClassroomError()
}

/** A student's organization and teachers (one indexed lookup). */
export async function studentAccess (deps: AnalyticsDeps, studentId: string): Promise<StudentAccess> {
  return await deps.repositories.access.student(studentId)
}

/** The classroom, if the user may read its reports (a primary-key lookup); throws otherwise. */
export async function authorizedClassroom (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string): Promise<ClassroomAccess> {
  const classroom = await deps.repositories.access.classroom(classroomId)
  assertMayReadClassroom(user, classroom)
  return classroom
}
