// The two charts a person would rather look at than read: a student's ability history in a subject, and the
// distribution of a classroom's latest abilities in a subject, as SVG drawn by @dreamseed/charts. They rest
// on the same reports (and access rules, and cache) as the JSON routes.
import { sql } from 'drizzle-orm'
import { abilityDistributionChart, abilityHistoryChart } from '@dreamseed/charts'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { studentProgress } from './student-progress.js'
import { assertMayReadClassroom } from './access.js'
import { ClassroomNotFoundError } from './errors.js'

export async function studentAbilityChart (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, subject: string): Promise<string> {
  const progress = await studentProgress(deps, user, studentId, 1)
  const history = progress.subjects.find((s) => s.subject === subject)?.history ?? []
  return abilityHistoryChart({
    title: `${progress.displayName ?? 'Student'}: ability in ${subject}`,
    points: history.map((h) => ({ at: h.completedAt, theta: h.theta, se: h.se }))
  })
}

export async function classroomAbilityChart (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, subject: string): Promise<string> {
  const loaded = await deps.cache.get('classroom-abilities', user.organizationId, JSON.stringify([classroomId, subject]), async () => {
    const rows = await deps.db.execute<{ organization_id: string, teacher_id: string, name: string, theta: number | null }>(sql`
      select c.organization_id, c.teacher_id, c.name, latest.theta
      from analytics.classrooms c
      left join lateral (
        select distinct on (s.student_id) s.theta
        from analytics.classroom_members m
        join analytics.sessions s on s.student_id = m.user_id and s.subject = ${subject} and s.completed_at is not null
        where m.classroom_id = c.id and not m.removed and m.role = 'student'
        order by s.student_id, s.completed_at desc, s.id desc) latest on true
      where c.id = ${classroomId}`)
    const head = rows[0]
    if (head === undefined) return null
    return { classroom: { organizationId: head.organization_id, teacherId: head.teacher_id, name: head.name }, values: rows.flatMap((r) => r.theta === null ? [] : [r.theta]) }
  })
  if (loaded === null) throw new ClassroomNotFoundError()
  assertMayReadClassroom(user, loaded.classroom)
  return abilityDistributionChart({ title: `${loaded.classroom.name}: latest ability in ${subject} (${loaded.values.length} students)`, values: loaded.values })
}
