// A student's progress: ability and SE per subject after each completed session (the whole history), totals
// of sessions, answers, accuracy and time, and activity per day. Three queries whatever the history's length:
// the access lookup (access.ts), then the totals with the days, and the history.
import { sql } from 'drizzle-orm'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { assertMayAskForStudent, assertMayReadStudent, studentAccess, type StudentAccess } from './access.js'
import { StudentNotFoundError } from '../errors.js'
import { ratio, round, trend, type Trend } from './statistics.js'

export interface AbilityPoint { sessionId: string, examId: string, theta: number, se: number, completedAt: string }

export interface StudentProgress {
  studentId: string
  organizationId: string | null
  displayName: string | null
  sessionsTaken: number
  itemsAnswered: number
  correct: number
  accuracy: number | null
  timeSpentMs: number
  subjects: Array<{ subject: string, theta: number, se: number, sessions: number, trend: Trend, history: AbilityPoint[] }>
  dailyActivity: Array<{ date: string, responses: number, correct: number, timeSpentMs: number }>
}

interface Cached { access: StudentAccess, progress: StudentProgress }

export async function studentProgress (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, days: number): Promise<StudentProgress> {
  assertMayAskForStudent(user, studentId)
  const since = new Date(deps.now().getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10)
  const cached = await deps.cache.get('student-progress', user.organizationId, `${studentId}:${since}:${days}`, async (): Promise<Cached | null> => {
    const access = await studentAccess(deps, studentId)
    // Thrown, not cached: a caller who may not read the student costs this one lookup.
    assertMayReadStudent(user, access)
    if (access.organizationId === null) return null
    return { access, progress: await load(deps, access, since) }
  })
  if (cached === null) {
    // Nothing is known of this account yet: its owner sees an empty report, everyone else a 404.
    if (user.id !== studentId) throw new StudentNotFoundError()
    return emptyProgress(studentId, user.organizationId)
  }
  assertMayReadStudent(user, cached.access)
  return cached.progress
}

function emptyProgress (studentId: string, organizationId: string | null): StudentProgress {
  return { studentId, organizationId, displayName: null, sessionsTaken: 0, itemsAnswered: 0, correct: 0, accuracy: null, timeSpentMs: 0, subjects: [], dailyActivity: [] }
}

async function load (deps: AnalyticsDeps, access: StudentAccess, since: string): Promise<StudentProgress> {
  const { studentId } = access
  const [head] = await deps.db.execute<{ display_name: string | null, sessions_taken: number, answered: number, correct: number, time_ms: number, daily: Array<{ date: string, responses: number, correct: number, time_ms: number }> }>(sql`
    select u.display_name,
           (select count(*)::int from analytics.sessions s where s.student_id = ${studentId} and s.completed_at is not null) as sessions_taken,
           r.answered, r.correct, r.time_ms,
           (select coalesce(json_agg(d order by d.date), '[]'::json) from (
              select answered_on::text as date, count(*)::int as responses, count(*) filter (where correct)::int as correct, coalesce(sum(time_taken_ms), 0)::float8 as time_ms
              from analytics.responses where student_id = ${studentId} and answered_on >= ${since}::date group by answered_on) d) as daily
    from (select 1) one
    left join analytics.users u on u.id = ${studentId}
    cross join lateral (select count(*) filter (where not pretest)::int as answered, count(*) filter (where not pretest and correct)::int as correct,
                               coalesce(sum(time_taken_ms), 0)::float8 as time_ms
                        from analytics.responses where student_id = ${studentId}) r`)
  const history = await deps.db.execute<{ subject: string, session_id: string, exam_id: string, theta: number, se: number, completed_at: Date }>(sql`
    select subject, id as session_id, exam_id, theta, se, completed_at from analytics.sessions
    where student_id = ${studentId} and completed_at is not null and subject is not null
    order by subject, completed_at, id`)

  const bySubject = new Map<string, AbilityPoint[]>()
  for (const h of history) {
    const points = bySubject.get(h.subject) ?? []
    points.push({ sessionId: h.session_id, examId: h.exam_id, theta: round(h.theta), se: round(h.se), completedAt: new Date(h.completed_at).toISOString() })
    bySubject.set(h.subject, points)
  }
  return {
    studentId,
    organizationId: access.organizationId,
    displayName: head!.display_name,
    sessionsTaken: head!.sessions_taken,
    itemsAnswered: head!.answered,
    correct: head!.correct,
    accuracy: ratio(head!.correct, head!.answered),
    timeSpentMs: head!.time_ms,
    subjects: [...bySubject].map(([subject, points]) => {
      const last = points[points.length - 1]!
      return { subject, theta: last.theta, se: last.se, sessions: points.length, trend: trend(last, points[points.length - 2]), history: points }
    }),
    dailyActivity: head!.daily.map((d) => ({ date: d.date, responses: d.responses, correct: d.correct, timeSpentMs: d.time_ms }))
  }
}
