// A classroom for its teacher and its organization's admins: its students, how many of them took each exam
// assigned to it, the distribution of their latest ability per subject, and who is improving or falling
// behind (see statistics.trend). After the access lookup (access.ts), the summary takes two queries and the
// student list one, however many students there are.
import { sql } from 'drizzle-orm'
import { pageSize, toPage, type AuthenticatedUser, type Page, type PageRequest } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { assertMayReadClassroom, authorizedClassroom, organizationOf } from './access.js'
import { distribution, ratio, round, trend, type Distribution, type Trend } from './statistics.js'

interface ClassroomHead { id: string, organizationId: string, teacherId: string, name: string, students: number }

export interface ClassroomSummary {
  classroom: ClassroomHead
  exams: Array<{ examId: string, title: string | null, kind: string | null, subject: string | null, completedBy: number }>
  subjects: Array<{ subject: string, ability: Distribution, improving: StudentTrend[], fallingBehind: StudentTrend[] }>
}

interface StudentTrend { studentId: string, displayName: string | null, theta: number, previousTheta: number, se: number }

export interface ClassroomStudent {
  id: string
  displayName: string | null
  sessionsTaken: number
  itemsAnswered: number
  accuracy: number | null
  timeSpentMs: number
  subjects: Array<{ subject: string, theta: number, se: number, trend: Trend }>
}

/** Completed sessions with a subject of the classroom's current students: the latest two per student and subject. */
const LAST_TWO = (classroomId: string) => sql`
  select x.student_id, x.display_name, x.subject, x.theta, x.se, x.rn from (
    select s.student_id, u.display_name, s.subject, s.theta, s.se,
           row_number() over (partition by s.student_id, s.subject order by s.completed_at desc, s.id desc)::int as rn
    from analytics.classroom_members m
    join analytics.sessions s on s.student_id = m.user_id and s.completed_at is not null and s.subject is not null
    left join analytics.users u on u.id = m.user_id
    where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student') x
  where x.rn <= 2 order by x.subject, x.student_id, x.rn`

export async function classroomSummary (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string): Promise<ClassroomSummary> {
  const summary = await deps.cache.get('classroom-summary', organizationOf(user), classroomId, async () => {
    // Thrown, not cached: a caller who may not read the classroom costs this one lookup.
    const classroom = await authorizedClassroom(deps, user, classroomId)
    const [head] = await deps.db.execute<{ students: number, exams: Array<{ examId: string, title: string | null, kind: string | null, subject: string | null, completedBy: number }> }>(sql`
      select (select count(*)::int from analytics.classroom_members m where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student') as students,
             (select coalesce(json_agg(json_build_object('examId', a.exam_id, 'title', e.title, 'kind', e.kind, 'subject', e.subject, 'completedBy',
                (select count(distinct s.student_id)::int from analytics.sessions s
                  join analytics.classroom_members m on m.user_id = s.student_id and m.classroom_id = a.classroom_id and not m.removed and m.role = 'student'
                  where s.exam_id = a.exam_id and s.completed_at is not null)) order by a.exam_id), '[]'::json)
                from analytics.assignments a left join analytics.exams e on e.id = a.exam_id
               where a.classroom_id = ${classroomId} and a.assigned) as exams`)
    const rows = await deps.db.execute<{ student_id: string, display_name: string | null, subject: string, theta: number, se: number, rn: number }>(LAST_TWO(classroomId))
    return { classroom: { ...classroom, students: head!.students }, exams: head!.exams, subjects: subjectsOf(rows) }
  })
  assertMayReadClassroom(user, summary.classroom)
  return summary
}

function subjectsOf (rows: Array<{ student_id: string, display_name: string | null, subject: string, theta: number, se: number, rn: number }>): ClassroomSummary['subjects'] {
  const bySubject = new Map<string, Map<string, { name: string | null, latest?: { theta: number, se: number }, previous?: { theta: number, se: number } }>>()
  for (const r of rows) {
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
    for (const [studentId, s] of students) {
      const t = trend(s.latest!, s.previous)
      const entry = { studentId, displayName: s.name, theta: round(s.latest!.theta), previousTheta: round(s.previous?.theta ?? s.latest!.theta), se: round(s.latest!.se) }
      if (t === 'improving') improving.push(entry)
      if (t === 'falling_behind') fallingBehind.push(entry)
    }
    return { subject, ability: distribution([...students.values()].map((s) => s.latest!.theta)), improving, fallingBehind }
  })
}

/** One page of the classroom's current students, in id order, each with their totals and latest ability per subject. */
export async function classroomStudents (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, page: PageRequest): Promise<Page<ClassroomStudent>> {
  const limit = pageSize(page)
  const result = await deps.cache.get('classroom-students', organizationOf(user), `${classroomId}:${page.cursor ?? ''}:${limit}`, async () => {
    const classroom = await authorizedClassroom(deps, user, classroomId)
    const rows = await deps.db.execute<{ id: string, display_name: string | null, sessions_taken: number, answered: number, correct: number, time_ms: number, latest: Array<{ subject: string, theta: number, se: number, rn: number }> }>(sql`
      select m.user_id as id, u.display_name,
             (select count(*)::int from analytics.sessions s where s.student_id = m.user_id and s.completed_at is not null) as sessions_taken,
             r.answered, r.correct, r.time_ms,
             (select coalesce(json_agg(json_build_object('subject', x.subject, 'theta', x.theta, 'se', x.se, 'rn', x.rn) order by x.subject, x.rn), '[]'::json)
                from (select s.subject, s.theta, s.se, row_number() over (partition by s.subject order by s.completed_at desc, s.id desc) as rn
                        from analytics.sessions s where s.student_id = m.user_id and s.completed_at is not null and s.subject is not null) x
               where x.rn <= 2) as latest
      from analytics.classroom_members m
      left join analytics.users u on u.id = m.user_id
      cross join lateral (select count(*) filter (where not pretest)::int as answered, count(*) filter (where not pretest and correct)::int as correct,
                                 coalesce(sum(time_taken_ms), 0)::float8 as time_ms
                          from analytics.responses where student_id = m.user_id) r
      where m.classroom_id = ${classroomId} and not m.removed and m.role = 'student' ${page.cursor === undefined ? sql`` : sql`and m.user_id > ${page.cursor}`}
      order by m.user_id limit ${limit + 1}`)
    const students: ClassroomStudent[] = rows.map((r) => {
      const subjects: ClassroomStudent['subjects'] = []
      for (const l of r.latest) {
        if (l.rn !== 1) continue
        const previous = r.latest.find((p) => p.subject === l.subject && p.rn === 2)
        subjects.push({ subject: l.subject, theta: round(l.theta), se: round(l.se), trend: trend(l, previous) })
      }
      return { id: r.id, displayName: r.display_name, sessionsTaken: r.sessions_taken, itemsAnswered: r.answered, accuracy: ratio(r.correct, r.answered), timeSpentMs: r.time_ms, subjects }
    })
    return { classroom, page: toPage(students, limit) }
  })
  assertMayReadClassroom(user, result.classroom)
  return result.page
}
