// A classroom for its teacher and its organization's admins: its students, how many of them took each exam
// assigned to it, the distribution of their latest ability per subject, and who is improving or falling
// behind (see statistics.trend). After the access lookup (access.ts), the summary takes two queries and the
// student list one, however many students there are (repositories/classroom-report-repository.ts).
import { pageSize, toPage, type AuthenticatedUser, type Page, type PageRequest } from '@dreamseed/kit'
import type { Accommodations } from '@dreamseed/events'
import type { AnalyticsDeps } from './deps.js'
import type { JsonSerializer } from './response-cache.js'
import type { ClassroomExam, LatestEstimateRow } from '../repositories/classroom-report-repository.js'
import { assertMayReadClassroom, authorizedClassroom, organizationOf } from './access.js'
import { distribution, ratio, round, trend, type Distribution, type Trend } from './statistics.js'
import { typeBreakdown, type TypeBreakdown } from './type-breakdown.js'
import { scaleFromRow, scaleScore, type ReportingScale, type ScaleScore } from './reporting-scale.js'

interface ClassroomHead { id: string, organizationId: string, teacherId: string, name: string, students: number }

export interface ClassroomSummary {
  classroom: ClassroomHead
  exams: ClassroomExam[]
  subjects: Array<{ subject: string, reportingScale: ReportingScale | null, ability: Distribution, improving: StudentTrend[], fallingBehind: StudentTrend[] }>
}

interface StudentTrend { studentId: string, displayName: string | null, theta: number, previousTheta: number, se: number, scale: ScaleScore | null }

export interface ClassroomStudent {
  id: string
  displayName: string | null
  sessionsTaken: number
  itemsAnswered: number
  accuracy: number | null
  timeSpentMs: number
  /** The latest estimate per subject, with that session's response-time effort as exam judged it (null: a session from before it did) and `accommodations`, the profile it ran with (null: none). */
  subjects: Array<{ subject: string, theta: number, se: number, effort: number | null, lowEffort: boolean | null, scale: ScaleScore | null, trend: Trend, accommodations: Accommodations | null }>
  /** Scores by item type over the student's completed sessions. */
  types: TypeBreakdown[]
}

/** The summary as its route sends it (`json`: the route's serializer); a cached one is checked against the access facts kept beside it. */
export async function classroomSummary (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, json: JsonSerializer<ClassroomSummary>): Promise<string> {
  const { facts, body } = await deps.cache.rendered('classroom-summary', organizationOf(user), classroomId, json, async () => {
    // Thrown, not cached: a caller who may not read the classroom costs this one lookup.
    const classroom = await authorizedClassroom(deps, user, classroomId)
    const head = await deps.repositories.classroomReports.head(classroomId)
    const rows = await deps.repositories.classroomReports.latestTwoEstimates(classroomId)
    const summary: ClassroomSummary = { classroom: { ...classroom, students: head.students }, exams: head.exams, subjects: subjectsOf(rows) }
    return { facts: { organizationId: classroom.organizationId, teacherId: classroom.teacherId }, value: summary }
  })
  assertMayReadClassroom(user, facts)
  return body!
}

function subjectsOf (rows: LatestEstimateRow[]): ClassroomSummary['subjects'] {
  const bySubject = new Map<string, Map<string, { name: string | null, latest?: { theta: number, se: number }, previous?: { theta: number, se: number } }>>()
  const scales = new Map<string, ReportingScale | null>()
  for (const r of rows) {
    scales.set(r.subject, scaleFromRow(r.scale))
    const students = bySubject.get(r.subject) ?? new Map()
    const s = students.get(r.student_id) ?? { name: r.display_name }
    if (r.rn === 1) s.latest = { theta: r.theta, se: r.se }
    else s.previous = { theta: r.theta, se: r.se }
    students.set(r.student_id, s)
    bySubject.set(r.subject, students)
  }
  return [...bySubject].map(([subject, students]) => {
    const improving: StudentTrend[] = []
    const fallingBehind: StudentTrend[] = []
    const scale = scales.get(subject) ?? null
    for (const [studentId, s] of students) {
      const t = trend(s.latest!, s.previous)
      const entry = { studentId, displayName: s.name, theta: round(s.latest!.theta), previousTheta: round(s.previous?.theta ?? s.latest!.theta), se: round(s.latest!.se), scale: scaleScore(scale, s.latest!.theta, s.latest!.se) }
      if (t === 'improving') improving.push(entry)
      if (t === 'falling_behind') fallingBehind.push(entry)
    }
    return { subject, reportingScale: scale, ability: distribution([...students.values()].map((s) => s.latest!.theta)), improving, fallingBehind }
  })
}

/** One page of the classroom's current students, in id order, each with their totals and latest ability per subject, as its route sends it. */
export async function classroomStudents (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, page: PageRequest, json: JsonSerializer<Page<ClassroomStudent>>): Promise<string> {
  const limit = pageSize(page)
  const { facts, body } = await deps.cache.rendered('classroom-students', organizationOf(user), `${classroomId}:${page.cursor ?? ''}:${limit}`, json, async () => {
    const classroom = await authorizedClassroom(deps, user, classroomId)
    const rows = await deps.repositories.classroomReports.students(classroomId, page.cursor, limit + 1)
    const students: ClassroomStudent[] = rows.map((r) => {
      const subjects: ClassroomStudent['subjects'] = []
      for (const l of r.latest) {
        if (l.rn !== 1) continue
        const previous = r.latest.find((p) => p.subject === l.subject && p.rn === 2)
        subjects.push({ subject: l.subject, theta: round(l.theta), se: round(l.se), effort: l.effort, lowEffort: l.low_effort, scale: scaleScore(scaleFromRow(l.scale), l.theta, l.se), trend: trend(l, previous), accommodations: l.accommodations })
      }
      return { id: r.id, displayName: r.display_name, sessionsTaken: r.sessions_taken, itemsAnswered: r.answered, accuracy: ratio(r.correct, r.answered), timeSpentMs: r.time_ms, subjects, types: typeBreakdown(r.types) }
    })
    return { facts: { organizationId: classroom.organizationId, teacherId: classroom.teacherId }, value: toPage(students, limit) }
  })
  assertMayReadClassroom(user, facts)
  return body!
}
