// An exam's results for its organization's teachers and admins: sessions started and completed, mean length
// and SE, the distribution of scores: final ability (θ) for every exam, and proportion correct, and the scores
// by item type (type-breakdown.ts). The exam's organization first (one primary-key lookup), then two queries
// whatever the number of sessions.
import { assertOwnOrganization, type AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import type { JsonSerializer } from './response-cache.js'
import { ExamNotFoundError } from '../errors.js'
import { organizationOf } from './access.js'
import { THETA_BINS, round, type Bin } from './statistics.js'
import { typeBreakdown, type TypeBreakdown } from './type-breakdown.js'
import { scaleFromRow, scaleScore, type ReportingScale, type ScaleScore } from './reporting-scale.js'

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
  /** The organization's reporting scale for the exam's subject, and the mean θ (with the mean SE) on it. */
  reportingScale: ReportingScale | null
  meanScale: ScaleScore | null
  thetaHistogram: Bin[]
  proportionCorrectHistogram: Bin[]
  types: TypeBreakdown[]
  /** Sessions a teacher or an admin voided: counted in nothing above. */
  voided: number
  /** Sessions (not voided) given more time, and the seconds given in all. */
  extensions: { sessions: number, seconds: number }
}

const SCORE_BINS = { from: 0, to: 1, width: 0.1 }

function bins (spec: { from: number, to: number, width: number }, counts: Map<number, number>): Bin[] {
  const n = Math.round((spec.to - spec.from) / spec.width)
  return Array.from({ length: n }, (_, i) => ({ from: round(spec.from + i * spec.width), to: round(spec.from + (i + 1) * spec.width), count: counts.get(i) ?? 0 }))
}

/** The summary as its route sends it (`json`: the route's serializer). */
export async function examSummary (deps: AnalyticsDeps, user: AuthenticatedUser, examId: string, json: JsonSerializer<ExamSummary>): Promise<string> {
  const { facts, body } = await deps.cache.rendered('exam-summary', organizationOf(user), examId, json, async () => {
    // Thrown, not cached: another organization's exam costs this one primary-key lookup, like one that does not exist.
    const exams = deps.repositories.examSummaries
    const exam = await exams.exam(examId)
    assertOwnOrganization(user, exam?.organization_id ?? null, () => new ExamNotFoundError())
    const head = { ...exam!, ...await exams.totals(examId) }
    const histogram = await exams.histograms(examId, THETA_BINS)
    const scale = scaleFromRow(head.scale)
    const counts = (kind: string) => new Map(histogram.filter((h) => h.kind === kind).map((h) => [h.bin, h.n]))
    const summary: ExamSummary = {
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
      reportingScale: scale,
      meanScale: head.mean_theta === null || head.mean_se === null ? null : scaleScore(scale, head.mean_theta, head.mean_se),
      thetaHistogram: bins(THETA_BINS, counts('theta')),
      proportionCorrectHistogram: bins(SCORE_BINS, counts('score')),
      types: typeBreakdown(head.types),
      voided: head.voided,
      extensions: { sessions: head.extended, seconds: head.extension_s }
    }
    return { facts: { organizationId: summary.organizationId }, value: summary }
  })
  assertOwnOrganization(user, facts.organizationId, () => new ExamNotFoundError())
  return body!
}
