// A student's progress as stored: their totals with their activity per day, and their ability history. The
// bench's baseline runs `totals` as the floor of an uncached progress read, so it imports it from here.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'
import type { Accommodations } from '@dreamseed/events'
import { typeTotals, type TypeTotalsRow } from './session-type-totals-repository.js'
import { scaleJson, type ScaleColumns } from './scales-repository.js'

export type StudentTotals = {
  display_name: string | null
  sessions_taken: number
  answered: number
  correct: number
  time_ms: number
  daily: Array<{ date: string, responses: number, correct: number, time_ms: number }>
  /** The completed sessions' scores per item type. */
  types: TypeTotalsRow[]
}

/** `accommodations`: the profile the session ran with, as exam's events carried it (auth's closed list of flags); null: none. */
export type AbilityHistoryRow = { subject: string, session_id: string, exam_id: string, theta: number, se: number, completed_at: Date, effort: number | null, low_effort: boolean | null, scale: ScaleColumns | null, accommodations: Accommodations | null }

export function createStudentProgressRepository (db: Db) {
  return {
    /** Name, completed sessions, scored answers, time, activity per UTC day from `since` (a date), and scores by item type: one row, whatever is known of the student. */
    async totals (studentId: string, since: string): Promise<StudentTotals> {
      const [row] = await db.execute<StudentTotals>(sql`
        select u.display_name,
               (select count(*)::int from analytics.sessions s where s.student_id = ${studentId} and s.completed_at is not null and not s.voided) as sessions_taken,
               r.answered, r.correct, r.time_ms,
               (select coalesce(json_agg(d order by d.date), '[]'::json) from (
                  select answered_on::text as date, count(*)::int as responses, count(*) filter (where correct)::int as correct, coalesce(sum(time_taken_ms), 0)::float8 as time_ms
                  from analytics.responses where student_id = ${studentId} and answered_on >= ${since}::date group by answered_on) d) as daily,
               ${typeTotals(sql`st.student_id = ${studentId}`)} as types
        from (select 1) one
        left join analytics.users u on u.id = ${studentId}
        cross join lateral (select count(*) filter (where not pretest)::int as answered, count(*) filter (where not pretest and correct)::int as correct,
                                   coalesce(sum(time_taken_ms), 0)::float8 as time_ms
                            from analytics.responses where student_id = ${studentId}) r`)
      return row!
    },

    /** Every completed session with a subject, by subject, oldest first, with the organization's scale for the subject. */
    async abilityHistory (studentId: string, organizationId: string): Promise<AbilityHistoryRow[]> {
      return await db.execute<AbilityHistoryRow>(sql`
        select s.subject, s.id as session_id, s.exam_id, s.theta, s.se, s.completed_at, s.effort, s.low_effort, ${scaleJson} as scale, s.accommodations from analytics.sessions s
        left join analytics.scales sc on sc.organization_id = ${organizationId} and sc.subject = s.subject
        where s.student_id = ${studentId} and s.completed_at is not null and not s.voided and s.subject is not null
        order by s.subject, s.completed_at, s.id`)
    }
  }
}

export type StudentProgressRepository = ReturnType<typeof createStudentProgressRepository>
