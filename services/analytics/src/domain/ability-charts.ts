// The two charts a person would rather look at than read: a student's ability history in a subject, and the
// distribution of a classroom's latest abilities in a subject, as SVG drawn by @dreamseed/charts. They rest
// on the same reports (and access rules, and cache) as the JSON routes.
import { abilityDistributionChart, abilityHistoryChart } from '@dreamseed/charts'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { studentProgress } from './student-progress.js'
import { assertMayReadClassroom, authorizedClassroom, organizationOf } from './access.js'

export async function studentAbilityChart (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, subject: string): Promise<string> {
  const progress = await studentProgress(deps, user, studentId, 1)
  const history = progress.subjects.find((s) => s.subject === subject)?.history ?? []
  return abilityHistoryChart({
    title: `${progress.displayName ?? 'Student'}: ability in ${subject}`,
    points: history.map((h) => ({ at: h.completedAt, theta: h.theta, se: h.se }))
  })
}

export async function classroomAbilityChart (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, subject: string): Promise<string> {
  const loaded = await deps.cache.get('classroom-abilities', organizationOf(user), JSON.stringify([classroomId, subject]), async () => {
    // Thrown, not cached: a caller who may not read the classroom costs this one lookup.
    const classroom = await authorizedClassroom(deps, user, classroomId)
    return { classroom, values: await deps.repositories.classroomReports.latestAbilities(classroomId, subject) }
  })
  assertMayReadClassroom(user, loaded.classroom)
  return abilityDistributionChart({ title: `${loaded.classroom.name}: latest ability in ${subject} (${loaded.values.length} students)`, values: loaded.values })
}
