// An exam's results for its organization's teachers and admins: sessions started and completed, mean length
// and SE, and the distribution of scores: final ability (θ) for every exam, and proportion correct.
// Two queries whatever the number of sessions.
import { sql } from 'drizzle-orm'
import { assertSameOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { ExamNotFoundError } from './errors.js'
import { THETA_BINS, round, type Bin } from './statistics.js'

export interface ExamSummary {
  examId: string
  organizationId: string
  title: string | null
  kind: string | null
  subject: string | null
  sessionsStarted: number
  completions: number
  meanLength: number | null
  meanSe: number | null
  meanTheta: number | null
  thetaHistogram: Bin[]
  proportionCorrectHistogram: Bin[]
}

const SCORE_BINS = { from: 0, to: 1, width: 0.1 }

function bins (spec: { from: number, to: number, width: number }, counts: Map<number, number>): Bin[] {
  const n = Math.round((spec.to - spec.from) / spec.width)
  return Array.from({ length: n }, (_, i) => ({ from: round(spec.from + i * spec.width), to: round(spec.from + (i + 1) * spec.width), count: counts.get(i) ?? 0 }))
}

export async function examSummary (deps: AnalyticsDeps, user: AuthenticatedUser, examId: string): Promise<ExamSummary> {
  const summary = await deps.cache.get('exam-summary', user.organizationId, examId, async () => {
    const [head] = await deps.db.execute<{ organization_id: string, title: string | null, kind: string | null, subject: string | null, started: number, completions: number, mean_length: number | null, mean_se: number | null, mean_theta: number | null }>(sql`
      select e.organization_id, e.title, e.kind, e.subject,
             count(s.id)::int as started, count(s.completed_at)::int as completions,
             avg(s.items_answered)::float8 as mean_length, avg(s.se)::float8 as mean_se, avg(s.theta)::float8 as mean_theta
      from analytics.exams e left join analytics.sessions s on s.exam_id = e.id
      where e.id = ${examId} group by e.id`)
    if (head === undefined) return null
    // Bins are numbered from 0; values beyond the range fall into the outer bins.
    const histogram = await deps.db.execute<{ kind: string, bin: number, n: number }>(sql`
      select 'theta' as kind, least(greatest(floor((theta - ${THETA_BINS.from}) / ${THETA_BINS.width}), 0), 15)::int as bin, count(*)::int as n
        from analytics.sessions where exam_id = ${examId} and completed_at is not null group by 2
      union all
      select 'score', least(floor(correct_count::float8 / items_answered * 10), 9)::int, count(*)::int
        from analytics.sessions where exam_id = ${examId} and completed_at is not null and items_answered > 0 group by 2`)
    const counts = (kind: string) => new Map(histogram.filter((h) => h.kind === kind).map((h) => [h.bin, h.n]))
    return {
      examId,
      organizationId: head.organization_id,
      title: head.title,
      kind: head.kind,
      subject: head.subject,
      sessionsStarted: head.started,
      completions: head.completions,
      meanLength: head.mean_length === null ? null : round(head.mean_length, 2),
      meanSe: head.mean_se === null ? null : round(head.mean_se),
      meanTheta: head.mean_theta === null ? null : round(head.mean_theta),
      thetaHistogram: bins(THETA_BINS, counts('theta')),
      proportionCorrectHistogram: bins(SCORE_BINS, counts('score'))
    }
  })
  if (summary === null) throw new ExamNotFoundError()
  assertSameOrganization(user, summary.organizationId)
  return summary
}
