// A classroom's reports as stored: its student count and assigned exams, the latest two estimates per student
// and subject, a page of its students with their totals, and its students' latest ability in one subject.
// Each is one query, however many students the classroom has.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'
import type { Accommodations } from '@dreamseed/events'
import { typeTotals, type TypeTotalsRow } from './session-type-totals-repository.js'
import { scaleJson, type ScaleColumns } from './scales-repository.js'

export interface ClassroomExam { examId: string, title: string | null, kind: string | null, subject: string | null, completedBy: number }

export type LatestEstimateRow = { student_id: string, display_name: string | null, subject: string, theta: number, se: number, rn: number, scale: ScaleColumns | null }

export type ClassroomStudentRow = {
  id: string
  display_name: string | null
  sessions_taken: number
  answered: number
  correct: number
  time_ms: number
  /** The latest two estimates per subject (rn 1 the latest), each with its session's effort and the accommodation profile it ran with. */
  latest: Array<{ subject: string, theta: number, se: number, effort: number | null, low_effort: boolean | null, rn: number, scale: ScaleColumns | null, accommodations: Accommodations | null }>
  /** The completed sessions' scores per item type. */
  types: TypeTotalsRow[]
}

export function createClassroomReportRepository (db: Db) {
  return {
    /** Current students, and each assigned exam with how many of them completed it. */
    async head (classroomId: string): Promise<{ students: number, exams: ClassroomExam[] }> {
      const [head] = await db.execute<{ students: number, exams: ClassroomExam[] }>(sql`
        select (select count(*)::int from analytics.classroom_members m where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student') as students,
               (select coalesce(json_agg(json_build_object('examId', a.exam_id, 'title', e.title, 'kind', e.kind, 'subject', e.subject, 'completedBy',
                  (select count(distinct s.student_id)::int from analytics.sessions s
                    join analytics.classroom_members m on m.user_id = s.student_id and m.classroom_id = a.classroom_id and not m.removed and m.role = 'student'
                    where s.exam_id = a.exam_id and s.completed_at is not null and not s.voided)) order by a.exam_id), '[]'::json)
                  from analytics.assignments a left join analytics.exams e on e.id = a.exam_id
                 where a.classroom_id = ${classroomId} and a.assigned) as exams`)
      return head!
    },

    /** Completed sessions with a subject of the classroom's current students: the latest two per student and subject. */
    async latestTwoEstimates (classroomId: string): Promise<LatestEstimateRow[]> {
      return await db.execute<LatestEstimateRow>(sql`
        select x.student_id, x.display_name, x.subject, x.theta, x.se, x.rn, ${scaleJson} as scale from (
          select s.student_id, u.display_name, s.subject, s.theta, s.se, m.organization_id,
                 row_number() over (partition by s.student_id, s.subject order by s.completed_at desc, s.id desc)::int as rn
          from analytics.classroom_members m
          join analytics.sessions s on s.student_id = m.user_id and s.completed_at is not null and not s.voided and s.subject is not null
          left join analytics.users u on u.id = m.user_id
          where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student') x
        left join analytics.scales sc on sc.organization_id = x.organization_id and sc.subject = x.subject
        where x.rn <= 2 order by x.subject, x.student_id, x.rn`)
    },

    /** Up to `limit` current students after `cursor`, in id order, with their totals, latest two estimates per subject and scores by item type. */
    async students (classroomId: string, cursor: string | undefined, limit: number): Promise<ClassroomStudentRow[]> {
      return await db.execute<ClassroomStudentRow>(sql`
        select m.user_id as id, u.display_name,
               (select count(*)::int from analytics.sessions s where s.student_id = m.user_id and s.completed_at is not null and not s.voided) as sessions_taken,
               r.answered, r.correct, r.time_ms,
               (select coalesce(json_agg(json_build_object('subject', x.subject, 'theta', x.theta, 'se', x.se, 'effort', x.effort, 'low_effort', x.low_effort, 'rn', x.rn, 'scale', ${scaleJson}, 'accommodations', x.accommodations) order by x.subject, x.rn), '[]'::json)
                  from (select s.subject, s.theta, s.se, s.effort, s.low_effort, s.accommodations, row_number() over (partition by s.subject order by s.completed_at desc, s.id desc) as rn
                          from analytics.sessions s where s.student_id = m.user_id and s.completed_at is not null and not s.voided and s.subject is not null) x
                  left join analytics.scales sc on sc.organization_id = m.organization_id and sc.subject = x.subject
                 where x.rn <= 2) as latest,
               ${typeTotals(sql`st.student_id = m.user_id`)} as types
        from analytics.classroom_members m
        left join analytics.users u on u.id = m.user_id
        cross join lateral (select count(*) filter (where not pretest)::int as answered, count(*) filter (where not pretest and correct)::int as correct,
                                   coalesce(sum(time_taken_ms), 0)::float8 as time_ms
                            from analytics.responses where student_id = m.user_id) r
        where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student' ${cursor === undefined ? sql`` : sql`and m.user_id > ${cursor}`}
        order by m.user_id limit ${limit}`)
    },

    /** The latest ability in a subject of each current student who has one. */
    async latestAbilities (classroomId: string, subject: string): Promise<number[]> {
      const rows = await db.execute<{ theta: number }>(sql`
        select distinct on (s.student_id) s.theta
        from analytics.classroom_members m
        join analytics.sessions s on s.student_id = m.user_id and s.subject = ${subject} and s.completed_at is not null and not s.voided
        where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student'
        order by s.student_id, s.completed_at desc, s.id desc`)
      return rows.map((r) => r.theta)
    }
  }
}

export type ClassroomReportRepository = ReturnType<typeof createClassroomReportRepository>
