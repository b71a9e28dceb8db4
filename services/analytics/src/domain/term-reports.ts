// Scores per term, growth and percentile ranks (issue 20). A student's score in a subject and term is the
// latest completed session in the subject within the term: one test event per term, as in NWEA MAP Growth,
// and the latest because it is the student's standing at the term's end (a mean of a term's sessions would mix
// time points and, read as independent estimates, understate its SE). Growth from one term to another is the
// difference of the two θ with SE sqrt(SE₁² + SE₂²) (independent estimates), and on the reporting scale the
// difference of the reported scores with |slope| times that SE. A percentile rank is the mid-rank
// PR = 100·(below + ½·equal)/N among the organization's students with a score in the subject and term, given
// only when N reaches deps.minRankGroup. Each report is the access lookup, then one query (cached).
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import type { StudentAccess } from '../repositories/access-repository.js'
import type { ClassroomAccess } from '../repositories/access-repository.js'
import { assertMayAskForStudent, assertMayReadClassroom, assertMayReadStudent, authorizedClassroom, organizationOf, studentAccess } from './access.js'
import { scaleDifference, scaleFromRow, scaleScore, type ReportingScale, type ScaleScore } from './reporting-scale.js'
import { round } from './statistics.js'
import { StudentNotFoundError, TermNotFoundError } from '../errors.js'

export interface TermInfo { id: string, name: string, startsAt: string, endsAt: string }

export interface TermScore extends TermInfo {
  /** Null when the student completed no session in the subject within the term. */
  theta: number | null
  se: number | null
  completedAt: string | null
  scale: ScaleScore | null
}

export interface StudentTermScores { studentId: string, displayName: string | null, subject: string, scale: ReportingScale | null, terms: TermScore[] }

export interface Growth {
  studentId: string
  subject: string
  scale: ReportingScale | null
  from: TermScore
  to: TermScore
  /** Null when either term has no score. */
  growth: { theta: number, se: number, scale: ScaleScore | null } | null
}

const iso = (at: string | null): string | null => at === null ? null : new Date(at).toISOString()

/** The student's score in the subject in each of their organization's terms, oldest first. */
export async function studentTermScores (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, subject: string): Promise<StudentTermScores> {
  assertMayAskForStudent(user, studentId)
  const cached = await deps.cache.get('student-terms', user.organizationId, JSON.stringify([studentId, subject]), async () => {
    // Thrown, not cached: a caller who may not read the student costs this one lookup.
    const access = await studentAccess(deps, studentId)
    assertMayReadStudent(user, access)
    if (access.organizationId === null) return { access, scores: null }
    return { access, scores: await load(deps, access, subject) }
  })
  assertMayReadStudent(user, cached.access)
  if (cached.scores === null) {
    if (user.id !== studentId) throw new StudentNotFoundError()
    return { studentId, displayName: null, subject, scale: null, terms: [] }
  }
  return cached.scores
}

async function load (deps: AnalyticsDeps, access: StudentAccess, subject: string): Promise<StudentTermScores> {
  const row = await deps.repositories.termScores.studentTerms(access.organizationId!, access.studentId, subject)
  const scale = scaleFromRow(row.scale)
  return {
    studentId: access.studentId,
    displayName: row.display_name,
    subject,
    scale,
    terms: row.terms.map((t) => {
      const scored = t.theta !== null && t.se !== null
      return {
        id: t.id,
        name: t.name,
        startsAt: iso(t.startsAt)!,
        endsAt: iso(t.endsAt)!,
        theta: scored ? round(t.theta!) : null,
        se: scored ? round(t.se!) : null,
        completedAt: iso(t.completedAt),
        scale: scored ? scaleScore(scale, t.theta!, t.se!) : null
      }
    })
  }
}

/** Growth in the subject from one of the organization's terms to another. */
export async function studentGrowth (deps: AnalyticsDeps, user: AuthenticatedUser, studentId: string, subject: string, fromTerm: string, toTerm: string): Promise<Growth> {
  const scores = await studentTermScores(deps, user, studentId, subject)
  const from = scores.terms.find((t) => t.id === fromTerm)
  const to = scores.terms.find((t) => t.id === toTerm)
  if (from === undefined || to === undefined) throw new TermNotFoundError()
  let growth: Growth['growth'] = null
  if (from.theta !== null && to.theta !== null) {
    const se = Math.sqrt(from.se! ** 2 + to.se! ** 2)
    growth = { theta: round(to.theta - from.theta), se: round(se), scale: scaleDifference(scores.scale, from.scale, to.scale, se) }
  }
  return { studentId, subject, scale: scores.scale, from, to, growth }
}

export interface RankedStudent {
  studentId: string
  displayName: string | null
  theta: number | null
  se: number | null
  scale: ScaleScore | null
  /** Mid-rank percentile among the organization's students with a score; null without a score or when too few to rank. */
  percentileRank: number | null
}

export interface ClassroomTermReport {
  classroom: { id: string, name: string }
  term: TermInfo
  subject: string
  scale: ReportingScale | null
  /** The organization's students with a score in the subject and term: the group ranks are taken in. */
  groupSize: number
  ranked: boolean
  /** Why there are no ranks ("too few to rank: …"), null when there are. */
  note: string | null
  students: RankedStudent[]
}

/** The classroom's current students' scores in a term, with their percentile ranks in the organization. */
export async function classroomTermReport (deps: AnalyticsDeps, user: AuthenticatedUser, classroomId: string, termId: string, subject: string): Promise<ClassroomTermReport> {
  const cached = await deps.cache.get('classroom-term', organizationOf(user), JSON.stringify([classroomId, termId, subject]), async () => {
    const classroom = await authorizedClassroom(deps, user, classroomId)
    return { classroom, report: await loadClassroomTerm(deps, classroom, termId, subject) }
  })
  assertMayReadClassroom(user, cached.classroom)
  if (cached.report === null) throw new TermNotFoundError()
  return cached.report
}

async function loadClassroomTerm (deps: AnalyticsDeps, classroom: ClassroomAccess, termId: string, subject: string): Promise<ClassroomTermReport | null> {
  const row = await deps.repositories.termScores.classroomTerm(classroom.organizationId, classroom.id, termId, subject)
  if (row.term === null) return null
  const scale = scaleFromRow(row.scale)
  const n = row.group_size
  const ranked = n >= deps.minRankGroup
  return {
    classroom: { id: classroom.id, name: classroom.name },
    term: { id: row.term.id, name: row.term.name, startsAt: iso(row.term.startsAt)!, endsAt: iso(row.term.endsAt)! },
    subject,
    scale,
    groupSize: n,
    ranked,
    note: ranked ? null : `too few to rank: ${n} of the organization's students have a score in ${subject} this term, ranks need ${deps.minRankGroup}`,
    students: row.students.map((s) => {
      const scored = s.theta !== null && s.se !== null
      return {
        studentId: s.studentId,
        displayName: s.displayName,
        theta: scored ? round(s.theta!) : null,
        se: scored ? round(s.se!) : null,
        scale: scored ? scaleScore(scale, s.theta!, s.se!) : null,
        percentileRank: scored && ranked ? percentileRank(s.below!, s.equal!, n) : null
      }
    })
  }
}

/** The mid-rank percentile rank: 100·(below + ½·equal)/N, to one decimal. */
export function percentileRank (below: number, equal: number, n: number): number {
  return round(100 * (below + 0.5 * equal) / n, 1)
}
