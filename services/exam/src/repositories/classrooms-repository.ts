// exam's read model of auth's classrooms and their members (kept by classroom-projections.ts), and the
// questions asked of it: who teaches a student, which exams a student is assigned. A membership only moves
// forward in time: an add that arrives after a later removal is ignored.
import { eq, sql, type SQL } from 'drizzle-orm'
import { assignments, classroomMembers, classrooms, exams } from '@dreamseed/schema/exam'
import type { Executor } from '@dreamseed/kit'

/** Whether a student belongs (now) to a classroom the exam is assigned to, as a condition on exams.id. */
export const assignedTo = (studentId: string): SQL => sql`exists (select 1 from ${assignments} a join ${classroomMembers} m on m.classroom_id = a.classroom_id
  where a.exam_id = ${exams.id} and m.user_id = ${studentId} and not m.removed)`

/** Whether a student is (now) a member of one of a teacher's classrooms, as a condition on a student id column. */
export const taughtBy = (teacherId: string, studentId: SQL | string): SQL => sql`exists (select 1 from ${classrooms} c join ${classroomMembers} m on m.classroom_id = c.id
  where c.teacher_id = ${teacherId} and m.user_id = ${studentId} and not m.removed)`

export interface Membership {
  classroomId: string
  userId: string
  organizationId: string
  removed: boolean
  at: Date
}

export function createClassroomsRepository (db: Executor) {
  return {
    find: async (id: string): Promise<{ organizationId: string, teacherId: string } | undefined> => {
      const [row] = await db.select({ organizationId: classrooms.organizationId, teacherId: classrooms.teacherId }).from(classrooms).where(eq(classrooms.id, id))
      return row
    },

    teaches: async (teacherId: string, studentId: string): Promise<boolean> => {
      const [row] = await db.select({ yes: sql<boolean>`${taughtBy(teacherId, studentId)}` }).from(sql`(select 1) as one`)
      return row?.yes === true
    },

    /**
     * What a teacher may do with a student's session of an exam: see it (they teach the student in one of their
     * classrooms), and pause or resume it (one of those classrooms is assigned the exam). One statement.
     */
    sessionAccess: async (teacherId: string, studentId: string, examId: string): Promise<{ sees: boolean, assigned: boolean }> => {
      const [row] = await db.execute<{ sees: boolean, assigned: boolean }>(sql`select ${taughtBy(teacherId, studentId)} as sees,
        exists (select 1 from ${classrooms} c join ${classroomMembers} m on m.classroom_id = c.id join ${assignments} a on a.classroom_id = c.id
          where c.teacher_id = ${teacherId} and m.user_id = ${studentId} and not m.removed and a.exam_id = ${examId}) as assigned`)
      return { sees: row?.sees === true, assigned: row?.assigned === true }
    },

    /** A classroom as auth created it; one already known is left as it is. */
    create: async (classroom: { id: string, organizationId: string, teacherId: string, name: string, createdAt: Date }): Promise<void> => {
      await db.insert(classrooms).values(classroom).onConflictDoNothing()
    },

    /** A member added or removed at `at`, unless the membership already changed later. */
    setMembership: async (m: Membership): Promise<void> => {
      // At the same instant a removal wins over an add.
      const newer = m.removed ? sql`excluded.changed_at >= ${classroomMembers.changedAt}` : sql`excluded.changed_at > ${classroomMembers.changedAt}`
      await db.insert(classroomMembers).values({ classroomId: m.classroomId, userId: m.userId, organizationId: m.organizationId, removed: m.removed, changedAt: m.at })
        .onConflictDoUpdate({ target: [classroomMembers.classroomId, classroomMembers.userId], set: { removed: m.removed, changedAt: m.at }, setWhere: newer })
    }
  }
}

export type ClassroomsRepository = ReturnType<typeof createClassroomsRepository>
