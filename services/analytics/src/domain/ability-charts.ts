// The two charts a person would rather look at than read: a student's ability history in a subject, and the
// distribution of a classroom's latest abilities in a subject, as SVG drawn by @dreamseed/charts. They rest
// on the same reports (and access rules, and cache) as the JSON routes.
import { sql } from 'drizzle-orm'
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
    const rows = await deps.db.execute<{ theta: number }>(sql`
      select distinct on (s.student_id) s.theta
      from analytics.classroom_members m
      join analytics.sessions s on s.student_id = m.user_id and s.subject = ${subject} and s.completed_at is not null
      where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student'
      order by s.student_id, s.completed_at desc, s.id desc`)
    return { classroom, values: rows.map((r) => r.theta) }
  })
  assertMayReadClassroom(user, loaded.classroom)
  return abilityDistributionChart({ title: `${loaded.classroom.name}: latest ability in ${subject} (${loaded.values.length} students)`, values: loaded.values })
}
