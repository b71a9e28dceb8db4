// A student's progress: ability and SE per subject after each completed session (the whole history), totals
// of sessions, answers, accuracy and time, and activity per day. Three queries whatever the history's length:
// the access lookup (access.ts), then the totals with the days, and the history.
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { Accommodations } from '@dreamseed/events'
import type { AnalyticsDeps } from './deps.js'
import type { JsonSerializer } from './response-cache.js'
import type { StudentAccess } from '../repositories/access-repository.js'
import { assertMayAskForStudent, assertMayReadStudent, studentAccess } from './access.js'
import { StudentNotFoundError } from '../errors.js'
import { ratio, round, trend, type Trend } from './statistics.js'
import { typeBreakdown, type TypeBreakdown } from './type-breakdown.js'
import { scaleFromRow, scaleScore, type ReportingScale, type ScaleScore } from './reporting-scale.js'

/**
 * `effort`, `lowEffort`: the session's response-time effort as exam judged it (null: a session from before it did);
 * `accommodations`: the profile the session ran with (its time limit scaled by it); null: none.
 */
export interface AbilityPoint { sessionId: string, examId: string, theta: number, se: number, completedAt: string, effort: number | null, lowEffort: boolean | null, scale: ScaleScore | null, accommodations: Accommodations | null }

export interface StudentProgress {
  studentId: string
  organizationId: string | null
  displayName: string | null
  sessionsTaken: number
  itemsAnswered: number
  correct: number
  accuracy: number | null
  timeSpentMs: number
  /** `scale`: the organization's reporting scale for the subject and the latest score on it (null without one). */
  subjects: Array<{ subject: string, theta: number, se: number, scale: ScaleScore | null, reportingScale: ReportingScale | null, sessions: number, trend: Trend, history: AbilityPoint[] }>
  dailyActivity: Array<{ date: string, responses: number, correct: number, timeSpentMs: number }>
  /** Scores by item type over the completed sessions. */
  types: TypeBreakdown[]
}

interface Cached { access: StudentAccess, progress: StudentProgress }

/** The progress as an object (the ability chart draws it). */
export async function studentProgress (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, days: number): Promise<StudentProgress> {
  assertMayAskForStudent(user, studentId)
  const since = sinceFor(deps, days)
  const cached = await deps.cache.get('student-progress', user.organizationId, `${studentId}:${since}:${days}`, async () => await fresh(deps, user, studentId, since))
  if (cached === null) return unknownStudent(user, studentId)
  assertMayReadStudent(user, cached.access)
  return cached.progress
}

/** The progress as its route sends it (`json`: the route's serializer); a cached one is checked against the access facts kept beside it. */
export async function studentProgressJson (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, days: number, json: JsonSerializer<StudentProgress>): Promise<string> {
  assertMayAskForStudent(user, studentId)
  const since = sinceFor(deps, days)
  const { facts, body } = await deps.cache.rendered('student-progress', user.organizationId, `${studentId}:${since}:${days}`, json, async () => {
    const cached = await fresh(deps, user, studentId, since)
    return { facts: cached?.access ?? null, value: cached?.progress ?? null }
  })
  if (facts === null || body === null) return json.serialize(unknownStudent(user, studentId))
  assertMayReadStudent(user, facts)
  return body
}

const sinceFor = (deps: AnalyticsDeps, days: number): string => new Date(deps.now().getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10)

async function fresh (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, since: string): Promise<Cached | null> {
  const access = await studentAccess(deps, studentId)
  // Thrown, not cached: a caller who may not read the student costs this one lookup.
  assertMayReadStudent(user, access)
  if (access.organizationId === null) return null
  return { access, progress: await load(deps, access, since) }
}

/** Nothing is known of this account yet: its owner sees an empty report, everyone else a 404. */
function unknownStudent (user: AuthenticatedUser, studentId: string): StudentProgress {
  if (user.id !== studentId) throw new StudentNotFoundError()
  return emptyProgress(studentId, user.organizationId)
}

function emptyProgress (studentId: string, organizationId: string | null): StudentProgress {
  return { studentId, organizationId, displayName: null, sessionsTaken: 0, itemsAnswered: 0, correct: 0, accuracy: null, timeSpentMs: 0, subjects: [], dailyActivity: [], types: [] }
}

async function load (deps: AnalyticsDeps, access: StudentAccess, since: string): Promise<StudentProgress> {
  const { studentId } = access
  const head = await deps.repositories.studentProgress.totals(studentId, since)
  const history = await deps.repositories.studentProgress.abilityHistory(studentId, access.organizationId!)

  const bySubject = new Map<string, AbilityPoint[]>()
  const scales = new Map<string, ReportingScale | null>()
  for (const h of history) {
    const points = bySubject.get(h.subject) ?? []
    const scale = scaleFromRow(h.scale)
    scales.set(h.subject, scale)
    points.push({ sessionId: h.session_id, examId: h.exam_id, theta: round(h.theta), se: round(h.se), completedAt: new Date(h.completed_at).toISOString(), effort: h.effort, lowEffort: h.low_effort, scale: scaleScore(scale, h.theta, h.se), accommodations: h.accommodations })
    bySubject.set(h.subject, points)
  }
  return {
    studentId,
    organizationId: access.organizationId,
    displayName: head.display_name,
    sessionsTaken: head.sessions_taken,
    itemsAnswered: head.answered,
    correct: head.correct,
    accuracy: ratio(head.correct, head.answered),
    timeSpentMs: head.time_ms,
    subjects: [...bySubject].map(([subject, points]) => {
      const last = points[points.length - 1]!
      return { subject, theta: last.theta, se: last.se, scale: last.scale, reportingScale: scales.get(subject) ?? null, sessions: points.length, trend: trend(last, points[points.length - 2]), history: points }
    }),
    dailyActivity: head.daily.map((d) => ({ date: d.date, responses: d.responses, correct: d.correct, timeSpentMs: d.time_ms })),
    types: typeBreakdown(head.types)
  }
}
