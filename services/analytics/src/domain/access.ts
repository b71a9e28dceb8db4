// Who may read what: a student only themselves, a teacher their classrooms and the students in them, an admin
// their organization. Every report is authorized before any work: what can be decided from the token alone
// (a student asking for someone else, a staff member of no organization) costs no query; the rest costs one
// indexed lookup of the record's organization and teachers, and only then are the report's queries run.
// Another organization's id is answered exactly like an id that does not exist. Reports carry the facts these
// rules need, so an answer from the cache is checked exactly like a fresh one.
import { sql } from 'drizzle-orm'
import { assertOwnOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { ClassroomNotFoundError, ClassroomReportsForbiddenError, NoOrganizationError, NotYourClassroomError, NotYourStudentError, OthersProgressForbiddenError, StudentNotFoundError } from '../errors.js'

export interface StudentAccess {
  studentId: string
  organizationId: string | null
  /** Teachers of the classrooms the student is in now. */
  teacherIds: string[]
}

export interface ClassroomAccess {
  id: string
  organizationId: string
  teacherId: string
  name: string
}

export function organizationOf (user: AuthenticatedUser): string {
  if (user.organizationId === null) throw new NoOrganizationError()
  return user.organizationId
}

/** What the token alone decides about reading a student's reports. */
export function assertMayAskForStudent (user: AuthenticatedUser, studentId: string): void {
  if (user.id === studentId) return
  if (user.role === 'student') throw new OthersProgressForbiddenError()
  organizationOf(user)
}

export function assertMayReadStudent (user: AuthenticatedUser, access: StudentAccess): void {
  if (user.id === access.studentId) return
  assertMayAskForStudent(user, access.studentId)
  assertOwnOrganization(user, access.organizationId, () => new StudentNotFoundError())
  if (user.role === 'teacher' && !access.teacherIds.includes(user.id)) throw new NotYourStudentError()
}

export function assertMayReadClassroom (user: AuthenticatedUser, classroom: { organizationId: string, teacherId: string } | null): asserts classroom {
  if (user.role === 'student') throw new ClassroomReportsForbiddenError()
  assertOwnOrganization(user, classroom?.organizationId ?? null, () => new ClassroomNotFoundError())
  if (user.role === 'teacher' && user.id !== classroom!.teacherId) throw new NotYourClassroomError()
}

/** A student's organization (their account's, else that of their sessions or classrooms) and teachers: primary-key and indexed lookups. */
export async function studentAccess (deps: AnalyticsDeps, studentId: string): Promise<StudentAccess> {
  const [row] = await deps.db.execute<{ organization_id: string | null, teacher_ids: string[] }>(sql`
    select coalesce(u.organization_id,
             (select s.organization_id from analytics.sessions s where s.student_id = ${studentId} limit 1),
             (select m.organization_id from analytics.classroom_members m where m.user_id = ${studentId} limit 1)) as organization_id,
           coalesce((select array_agg(distinct c.teacher_id) from analytics.classroom_members m join analytics.classrooms c on c.id = m.classroom_id
                      where m.user_id = ${studentId} and not m.removed), '{}') as teacher_ids
    from (select 1) one left join analytics.users u on u.id = ${studentId}`)
  return { studentId, organizationId: row?.organization_id ?? null, teacherIds: row?.teacher_ids ?? [] }
}

/** The classroom, if the user may read its reports (a primary-key lookup); throws otherwise. */
export async function authorizedClassroom (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string): Promise<ClassroomAccess> {
  const [row] = await deps.db.execute<{ organization_id: string, teacher_id: string, name: string }>(sql`
    select organization_id, teacher_id, name from analytics.classrooms where id = ${classroomId}`)
  const classroom = row === undefined ? null : { id: classroomId, organizationId: row.organization_id, teacherId: row.teacher_id, name: row.name }
  assertMayReadClassroom(user, classroom)
  return classroom
}
