// Who may read what, by the kit's rules: a student only themselves, a teacher their classrooms and the
// students in them, an admin their organization. Reports carry the facts these rules need, so an answer
// from the cache is checked exactly like a fresh one.
import { AuthorizationError, assertSameOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import { NoOrganizationError, NotYourClassroomError, NotYourStudentError } from './errors.js'

export interface StudentAccess {
  studentId: string
  organizationId: string | null
  /** Teachers of the classrooms the student is in now. */
  teacherIds: string[]
}

export function organizationOf (user: AuthenticatedUser): string {
  if (user.organizationId === null) throw new NoOrganizationError()
  return user.organizationId
}

export function assertMayReadStudent (user: AuthenticatedUser, access: StudentAccess): void {
  if (user.id === access.studentId) return
  if (user.role === 'student') throw new AuthorizationError('FORBIDDEN', 'A student may only see their own progress')
  assertSameOrganization(user, access.organizationId)
  if (user.role === 'teacher' && !access.teacherIds.includes(user.id)) throw new NotYourStudentError()
}

export function assertMayReadClassroom (user: AuthenticatedUser, classroom: { organizationId: string, teacherId: string }): void {
  if (user.role === 'student') throw new AuthorizationError('FORBIDDEN', 'Students do not see classroom reports')
  assertSameOrganization(user, classroom.organizationId)
  if (user.role === 'teacher' && user.id !== classroom.teacherId) throw new NotYourClassroomError()
}
