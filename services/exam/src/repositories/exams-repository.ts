// Exams and their assignments to classrooms: written by teachers and admins, read by them, and by students
// through the classrooms they belong to (classrooms-repository.ts).
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm'
import { assignments, examOutbox, exams, sessions } from '@dreamseed/schema/exam'
import type { OutboxRow } from '@dreamseed/events'
import { pageSize, toPage, type Page, type PageRequest } from '@dreamseed/kit'
import type { AccommodationProfile, AssignedExamView, ExamView } from '../domain/model.js'

/** An assigned exam as stored: the exam's own time limit and the student's profile in force (null: none). */
export type AssignedExamRow = Omit<AssignedExamView, 'timeLimitSeconds'> & { examTimeLimitSeconds: number | null }
import type { Executor } from '@dreamseed/kit'
import { assignedTo } from './classrooms-repository.js'
import { accommodationsOf } from './accommodations-repository.js'
import { bankVersionOf } from './item-bank-repository.js'

const examColumns = {
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

export type NewExam = Omit<ExamView, 'classroomIds'> & { updatedAt: Date }

/** An exam as a student about to start it sees it: whether it is assigned to them, whether they started it, and its bank's version. */
export interface ExamForStudent {
  exam: Omit<ExamView, 'classroomIds'>
  assigned: boolean
  started: boolean
  bankVersion: number
  /** The student's accommodation profile in force in the exam's organization; null without one. */
  accommodations: AccommodationProfile | null
}

export function createExamsRepository (db: Executor) {
  return {
    insert: async (exam: NewExam): Promise<void> => {
      await db.insert(exams).values(exam)
    },

    /** One page of the organization's exams, newest last, in one query. */
    list: async (organizationId: string, page: PageRequest): Promise<Page<ExamView>> => {
      const limit = pageSize(page)
      const conditions: SQL[] = [eq(exams.organizationId, organizationId)]
      if (page.cursor !== undefined) conditions.push(gt(exams.id, page.cursor))
      return toPage(await db.select({ ...examColumns, classroomIds }).from(exams).where(and(...conditions)).orderBy(asc(exams.id)).limit(limit + 1), limit)
    },

    /** The exam if it belongs to the organization. */
    get: async (id: string, organizationId: string): Promise<ExamView | undefined> => {
      const [row] = await db.select({ ...examColumns, classroomIds }).from(exams).where(and(eq(exams.id, id), eq(exams.organizationId, organizationId)))
      return row
    },

    /**
     * The exam with what starting it needs, in one statement: whether it is assigned to the student, whether
     * they have a session of it, and its organization's bank version (so the first item is chosen from the
     * items as they are now), and the student's accommodation profile in force there.
     */
    forStudent: async (examId: string, studentId: string): Promise<ExamForStudent | undefined> => {
      const [row] = await db.select({
        ...examColumns,
        assigned: sql<boolean>`${assignedTo(studentId)}`,
        started: sql<boolean>`exists (select 1 from ${sessions} x where x.exam_id = ${examId} and x.student_id = ${studentId})`,
        bankVersion: sql<string>`${bankVersionOf(sql`${exams.organizationId}`)}`,
        accommodations: accommodationsOf(sql`${exams.organizationId}`, studentId)
      }).from(exams).where(eq(exams.id, examId))
      if (row === undefined) return undefined
      const { assigned, started, bankVersion, accommodations, ...exam } = row
      return { exam, assigned, started, bankVersion: Number(bankVersion), accommodations }
    },

    /** The exams assigned to a student's classrooms, with their own session of each if any, in one query. */
    listAssigned: async (studentId: string, page: PageRequest): Promise<Page<AssignedExamRow>> => {
      const limit = pageSize(page)
      const conditions: SQL[] = [assignedTo(studentId)]
      if (page.cursor !== undefined) conditions.push(gt(exams.id, page.cursor))
      const rows = await db.select({ id: exams.id, title: exams.title, kind: exams.kind, stopping: exams.stopping, sessionId: sessions.id, sessionStatus: sessions.status, accommodations: accommodationsOf(sql`${exams.organizationId}`, studentId) })
        .from(exams).leftJoin(sessions, and(eq(sessions.examId, exams.id), eq(sessions.studentId, studentId)))
        .where(and(...conditions)).orderBy(asc(exams.id)).limit(limit + 1)
      const shown = toPage(rows, limit)
      return {
        nextCursor: shown.nextCursor,
        items: shown.items.map((r) => ({ id: r.id, title: r.title, kind: r.kind, examTimeLimitSeconds: r.stopping.timeLimitSeconds ?? null, accommodations: r.accommodations, session: r.sessionId === null ? null : { id: r.sessionId, status: r.sessionStatus! } }))
      }
    },

    /** Assigns the exam and writes `changed`; false, and nothing written, when it was assigned already. Inside a transaction. */
    assign: async (assignment: { examId: string, classroomId: string, assignedBy: string, assignedAt: Date }, changed: OutboxRow): Promise<boolean> => {
      const inserted = await db.insert(assignments).values(assignment).onConflictDoNothing().returning({ examId: assignments.examId })
      if (inserted.length > 0) await db.insert(examOutbox).values(changed)
      return inserted.length > 0
    },

    /** Withdraws the assignment and writes `changed`; false, and nothing written, when there was none. Inside a transaction. */
    unassign: async (examId: string, classroomId: string, changed: OutboxRow): Promise<boolean> => {
      const deleted = await db.delete(assignments).where(and(eq(assignments.examId, examId), eq(assignments.classroomId, classroomId))).returning({ examId: assignments.examId })
      if (deleted.length > 0) await db.insert(examOutbox).values(changed)
      return deleted.length > 0
    }
  }
}

export type ExamsRepository = ReturnType<typeof createExamsRepository>
