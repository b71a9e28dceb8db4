// Scores per term as stored: a student's score in a subject in each of the organization's terms, and a
// classroom's students' scores in one term with their ranks among the organization's students. A term's score
// is the latest completed session in the subject within [starts_at, ends_at). One query each, with the
// organization's scale for the subject, however many terms, sessions or students there are.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'

import type { ScaleColumns } from './scales-repository.js'

export type StudentTermRow = { id: string, name: string, startsAt: string, endsAt: string, theta: number | null, se: number | null, completedAt: string | null, sessionId: string | null }

export type StudentTerms = { display_name: string | null, scale: ScaleColumns | null, terms: StudentTermRow[] }

export type RankedStudentRow = { studentId: string, displayName: string | null, theta: number | null, se: number | null, completedAt: string | null, below: number | null, equal: number | null }

export type ClassroomTerm = {
  term: { id: string, name: string, startsAt: string, endsAt: string } | null
  scale: ScaleColumns | null
  /** The organization's students with a score in the subject and term. */
  group_size: number
  students: RankedStudentRow[]
}

const scaleOf = (organizationId: string, subject: string) => sql`(select json_build_object('slope', sc.slope, 'intercept', sc.intercept, 'decimals', sc.decimals, 'min', sc.min, 'max', sc.max)
  from analytics.scales sc where sc.organization_id = ${organizationId} and sc.subject = ${subject})`

export function createTermScoresRepository (db: Db) {
  return {
    /** Every term of the organization, oldest first, each with the student's latest completed session in the subject within it (or nulls). */
    async studentTerms (organizationId: string, studentId: string, subject: string): Promise<StudentTerms> {
      const [row] = await db.execute<StudentTerms>(sql`
        select (select display_name from analytics.users where id = ${studentId}) as display_name,
               ${scaleOf(organizationId, subject)} as scale,
               coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name, 'startsAt', t.starts_at, 'endsAt', t.ends_at,
                                 'theta', x.theta, 'se', x.se, 'completedAt', x.completed_at, 'sessionId', x.id) order by t.starts_at)
                  from analytics.terms t
                  left join lateral (select s.id, s.theta, s.se, s.completed_at from analytics.sessions s
                                      where s.student_id = ${studentId} and s.subject = ${subject} and s.completed_at >= t.starts_at and s.completed_at < t.ends_at and not s.voided
                                      order by s.completed_at desc, s.id desc limit 1) x on true
                 where t.organization_id = ${organizationId}), '[]'::json) as terms`)
      return row!
    },

    /**
     * The term (null when the organization has none of that id), the scale, and the classroom's current
     * students with their score in the term and, among the organization's students with a score in it, how
     * many scored below them and how many the same (themselves included): the mid-rank's two counts.
     */
    async classroomTerm (organizationId: string, classroomId: string, termId: string, subject: string): Promise<ClassroomTerm> {
      const [row] = await db.execute<ClassroomTerm>(sql`
        with term as (select id, name, starts_at, ends_at from analytics.terms where id = ${termId} and organization_id = ${organizationId}),
        scores as (
          select distinct on (s.student_id) s.student_id, s.theta, s.se, s.completed_at
          from term join analytics.sessions s on s.organization_id = ${organizationId} and s.subject = ${subject}
            and s.completed_at >= term.starts_at and s.completed_at < term.ends_at and not s.voided
          order by s.student_id, s.completed_at desc, s.id desc),
        ranked as (
          select student_id, theta, se, completed_at, (rank() over (order by theta) - 1)::int as below, (count(*) over (partition by theta))::int as equal from scores)
        select (select json_build_object('id', id, 'name', name, 'startsAt', starts_at, 'endsAt', ends_at) from term) as term,
               ${scaleOf(organizationId, subject)} as scale,
               (select count(*)::int from scores) as group_size,
               coalesce((select json_agg(json_build_object('studentId', m.user_id, 'displayName', u.display_name, 'theta', r.theta, 'se', r.se,
                                   'completedAt', r.completed_at, 'below', r.below, 'equal', r.equal) order by m.user_id)
                  from analytics.classroom_members m
                  left join analytics.users u on u.id = m.user_id
                  left join ranked r on r.student_id = m.user_id
                 where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student'), '[]'::json) as students`)
      return row!
    }
  }
}
