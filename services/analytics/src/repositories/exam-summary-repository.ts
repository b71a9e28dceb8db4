// An exam's results as stored: the exam (a primary-key lookup that decides who may read them), its session
// totals with its scores by item type, and its histograms of final ability and proportion correct. Two queries
// whatever the number of sessions.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'
import { typeTotals, type TypeTotalsRow } from './session-type-totals-repository.js'
import { scaleJson, type ScaleColumns } from './scales-repository.js'

export type ExamRow = { organization_id: string, title: string | null, kind: string | null, subject: string | null, scale: ScaleColumns | null }
export type ExamTotals = {
  started: number, completions: number, mean_length: number | null, mean_se: number | null, mean_theta: number | null, types: TypeTotalsRow[]
  /** Sessions voided (counted in nothing else), and sessions given more time with the seconds given. */
  voided: number, extended: number, extension_s: number
}

export function createExamSummaryRepository (db: Db) {
  return {
    async exam (examId: string): Promise<ExamRow | undefined> {
      const [exam] = await db.execute<ExamRow>(sql`
        select e.organization_id, e.title, e.kind, e.subject, ${scaleJson} as scale from analytics.exams e
        left join analytics.scales sc on sc.organization_id = e.organization_id and sc.subject = e.subject
        where e.id = ${examId}`)
      return exam
    },

    async totals (examId: string): Promise<ExamTotals> {
      const [totals] = await db.execute<ExamTotals>(sql`
        select count(*) filter (where not voided)::int as started, count(completed_at) filter (where not voided)::int as completions,
               (avg(items_answered) filter (where not voided))::float8 as mean_length, (avg(se) filter (where not voided))::float8 as mean_se,
               (avg(theta) filter (where not voided))::float8 as mean_theta,
               count(*) filter (where voided)::int as voided, count(*) filter (where extension_s > 0 and not voided)::int as extended,
               coalesce(sum(extension_s) filter (where not voided), 0)::int as extension_s,
               ${typeTotals(sql`st.exam_id = ${examId}`)} as types
        from analytics.sessions where exam_id = ${examId}`)
      return totals!
    },

    /**
     * Completed sessions per bin: `theta` bins of thetaBins (16 of them), `score` bins of a tenth of proportion
     * correct. Bins are numbered from 0; values beyond the range fall into the outer bins.
     */
    async histograms (examId: string, thetaBins: { from: number, width: number }): Promise<Array<{ kind: 'theta' | 'score', bin: number, n: number }>> {
      return await db.execute<{ kind: 'theta' | 'score', bin: number, n: number }>(sql`
        select 'theta' as kind, least(greatest(floor((theta - ${thetaBins.from}) / ${thetaBins.width}), 0), 15)::int as bin, count(*)::int as n
          from analytics.sessions where exam_id = ${examId} and completed_at is not null and not voided group by 2
        union all
        select 'score', least(floor(correct_count::float8 / items_answered * 10), 9)::int, count(*)::int
          from analytics.sessions where exam_id = ${examId} and completed_at is not null and not voided and items_answered > 0 group by 2`)
    }
  }
}

export type ExamSummaryRepository = ReturnType<typeof createExamSummaryRepository>
