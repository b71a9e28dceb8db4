// An organization's reporting scales and terms: its admins set them, its teachers and admins read them. The
// organization is the caller's own (from the token), so there is no one else's to name, except a term's id,
// which is answered like one that does not exist. A change makes every cached answer of the organization stale
// (the reports carry scale scores and term figures), the way an applied event does.
import { randomUUID } from 'node:crypto'
import type { AuthenticatedUser } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import { organizationOf } from './access.js'
import { assertValidScale, type ReportingScale } from './reporting-scale.js'
import type { ScaleRow } from '../repositories/scales-repository.js'
import type { TermRow } from '../repositories/terms-repository.js'
import { TermNameTakenError, TermNotFoundError, TermOverlapError, TermRangeError } from '../errors.js'

export interface Scale extends ReportingScale { subject: string, updatedBy: string, updatedAt: string }
export interface Term { id: string, name: string, startsAt: string, endsAt: string }

const iso = (at: string | Date): string => new Date(at).toISOString()
const scaleOut = (r: ScaleRow): Scale => ({ subject: r.subject, slope: r.slope, intercept: r.intercept, decimals: r.decimals, min: r.min, max: r.max, updatedBy: r.updatedBy, updatedAt: iso(r.updatedAt) })
export const termOut = (r: TermRow): Term => ({ id: r.id, name: r.name, startsAt: iso(r.startsAt), endsAt: iso(r.endsAt) })

/** Sets (creates or replaces) the organization's scale for a subject; refused before anything is written when it is not a scale. */
export async function putScale (deps: AnalyticsDeps, user: AuthenticatedUser, subject: string, scale: ReportingScale): Promise<Scale> {
  const organizationId = organizationOf(user)
  assertValidScale(scale)
  const row = await deps.repositories.scales.put(organizationId, subject, scale, user.id, deps.now())
  await deps.cache.invalidate([organizationId])
  return scaleOut(row)
}

export async function listScales (deps: AnalyticsDeps, user: AuthenticatedUser): Promise<Scale[]> {
  return (await deps.repositories.scales.list(organizationOf(user))).map(scaleOut)
}

export async function createTerm (deps: AnalyticsDeps, user: AuthenticatedUser, term: { name: string, startsAt: string, endsAt: string }): Promise<Term> {
  const organizationId = organizationOf(user)
  const startsAt = new Date(term.startsAt)
  const endsAt = new Date(term.endsAt)
  if (!(startsAt.getTime() < endsAt.getTime())) throw new TermRangeError()
  const result = await deps.repositories.terms.create(organizationId, { id: randomUUID(), name: term.name, startsAt, endsAt }, user.id, deps.now())
  if ('nameTaken' in result) throw new TermNameTakenError()
  if ('overlaps' in result) throw new TermOverlapError(result.overlaps.name)
  await deps.cache.invalidate([organizationId])
  return termOut(result.created)
}

export async function listTerms (deps: AnalyticsDeps, user: AuthenticatedUser): Promise<Term[]> {
  return (await deps.repositories.terms.list(organizationOf(user))).map(termOut)
}

export async function deleteTerm (deps: AnalyticsDeps, user: AuthenticatedUser, termId: string): Promise<void> {
  const organizationId = organizationOf(user)
  if (!await deps.repositories.terms.delete(organizationId, termId)) throw new TermNotFoundError()
  await deps.cache.invalidate([organizationId])
}
