// The two charts a person would rather look at than read: a student's ability history in a subject, and the
// distribution of a classroom's latest abilities in a subject, as SVG drawn by @dreamseed/charts. They rest
// on the same reports (and access rules, and cache) as the JSON routes, and draw the organization's reporting
// scale for the subject when it has one (θ otherwise), as the reports show it beside θ.
import { abilityDistributionChart, abilityHistoryChart } from '@dreamseed/charts'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { studentProgress } from './student-progress.js'
import { assertMayReadClassroom, authorizedClassroom, organizationOf } from './access.js'
import { SCALE_AXIS, THETA_AXIS, chartScale, scaleFromRow, scaleScore } from './reporting-scale.js'

export async function studentAbilityChart (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, subject: string): Promise<string> {
  const progress = await studentProgress(deps, user, studentId, 1)
  const found = progress.subjects.find((s) => s.subject === subject)
  const history = found?.history ?? []
  const scale = found?.reportingScale ?? null
  if (scale === null) {
    return abilityHistoryChart({
      title: `${progress.displayName ?? 'Student'}: ability in ${subject}`,
      points: history.map((h) => ({ at: h.completedAt, theta: h.theta, se: h.se }))
    })
  }
  // Every point on today's scale (the history's θ are kept; a scale changed since is what the reader sees now).
  return abilityHistoryChart({
    title: `${progress.displayName ?? 'Student'}: ${subject} (scale score)`,
    scale: chartScale(scale),
    points: history.map((h) => ({ at: h.completedAt, theta: h.scale?.score ?? h.theta, se: h.scale?.se ?? h.se }))
  })
}

export async function classroomAbilityChart (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, subject: string): Promise<string> {
  const loaded = await deps.cache.get('classroom-abilities', organizationOf(user), JSON.stringify([classroomId, subject]), async () => {
    // Thrown, not cached: a caller who may not read the classroom costs this one lookup.
    const classroom = await authorizedClassroom(deps, user, classroomId)
    const [thetas, row] = await Promise.all([
      deps.repositories.classroomReports.latestAbilities(classroomId, subject),
      deps.repositories.scales.forSubject(classroom.organizationId, subject)
    ])
    const scale = scaleFromRow(row)
    // A scale's score for each θ (its SE does not enter a histogram of estimates).
    return { classroom, scaled: scale !== null, values: scale === null ? thetas : thetas.map((theta) => scaleScore(scale, theta, 0)!.score) }
  })
  assertMayReadClassroom(user, loaded.classroom)
  return abilityDistributionChart({
    title: `${loaded.classroom.name}: latest ${loaded.scaled ? 'scale score' : 'ability'} in ${subject} (${loaded.values.length} students)`,
    valueLabel: loaded.scaled ? SCALE_AXIS : THETA_AXIS,
    values: loaded.values
  })
}
