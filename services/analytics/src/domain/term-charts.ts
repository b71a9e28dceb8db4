// The term reports drawn: a student's score per term in a subject with ±1 SE bars, and a classroom's scores in
// one term as a histogram, on the organization's scale for the subject when it has one (θ otherwise). They rest
// on the JSON reports (term-reports.ts), with their access rules and cache.
import { abilityDistributionChart, termGrowthChart } from '@dreamseed/charts'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { SCALE_AXIS, THETA_AXIS, type ReportingScale } from './reporting-scale.js'
import { classroomTermReport, studentTermScores } from './term-reports.js'

const axis = (scale: ReportingScale | null): string => scale === null ? THETA_AXIS : SCALE_AXIS

export async function studentGrowthChart (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, subject: string): Promise<string> {
  const scores = await studentTermScores(deps, user, studentId, subject)
  const { scale } = scores
  return termGrowthChart({
    title: `${scores.displayName ?? 'Student'}: ${subject} per term${scale === null ? '' : ' (scale score)'}`,
    valueLabel: axis(scale),
    ...(scale === null ? {} : { decimals: scale.decimals }),
    terms: scores.terms.map((t) => ({ term: t.name, score: scale === null ? t.theta : t.scale?.score ?? null, se: scale === null ? t.se : t.scale?.se ?? null }))
  })
}

export async function classroomTermDistributionChart (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, termId: string, subject: string): Promise<string> {
  const report = await classroomTermReport(deps, user, classroomId, termId, subject)
  const values = report.students.flatMap((s) => report.scale === null ? (s.theta === null ? [] : [s.theta]) : (s.scale === null ? [] : [s.scale.score]))
  return abilityDistributionChart({
    title: `${report.classroom.name}: ${subject} in ${report.term.name} (${values.length} ${values.length === 1 ? 'student' : 'students'})`,
    valueLabel: axis(report.scale),
    values
  })
}
