// The facts the access rules (domain/access.ts) decide on: a student's organization and teachers, a
// classroom's organization and teacher. Primary-key and indexed lookups, run before any report's queries.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'

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

export function createAccessRepository (db: Db) {
  return {
    /** A student's organization (their account's, else that of their sessions or classrooms) and teachers. */
    async student (studentId: string): Promise<StudentAccess> {
      const [row] = await db.execute<{ organization_id: string | null, teacher_ids: string[] }>(sql`
        select coalesce(u.organization_id,
                 (select s.organization_id from analytics.sessions s where s.student_id = ${studentId} limit 1),
                 (select m.organization_id from analytics.classroom_members m where m.user_id = ${studentId} limit 1)) as organization_id,
               coalesce((select array_agg(distinct c.teacher_id) from analytics.classroom_members m join analytics.classrooms c on c.id = m.classroom_id
                          where m.user_id = ${studentId} and not m.removed), '{}') as teacher_ids
        from (select 1) one left join analytics.users u on u.id = ${studentId}`)
      return { studentId, organizationId: row?.organization_id ?? null, teacherIds: row?.teacher_ids ?? [] }
    },

    /** The classroom (a primary-key lookup), or null when there is none. */
    async classroom (classroomId: string): Promise<ClassroomAccess | null> {
      const [row] = await db.execute<{ organization_id: string, teacher_id: string, name: string }>(sql`
        select organization_id, teacher_id, name from analytics.classrooms where id = ${classroomId}`)
      return row === undefined ? null : { id: classroomId, organizationId: row.organization_id, teacherId: row.teacher_id, name: row.name }
    }
  }
}

export type AccessRepository = ReturnType<typeof createAccessRepository>
