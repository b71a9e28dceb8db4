// How items behave, for the teachers and admins of their organization, from the responses analytics has seen:
//  - exposure rate: administrations / sessions of the exams that have shown the item at least once (the
//    sessions that could have seen it; an item never shown has no rate);
//  - proportion correct and mean response time over every administration;
//  - point-biserial correlation of the response with the final ability of completed sessions;
//  - drift: with P(θ) the 4PL probability (D = 1) at each completed session's final θ, the observed number
//    correct is compared with ΣP; flagged when |observed − expected| / n > 3·sqrt(ΣP(1−P)) / n and n is at
//    least ANALYTICS_DRIFT_MIN_RESPONSES (a 3-SD departure under the item's own parameters). A polytomous item
//    (more than two categories) is not a 4PL item, and its a and b only summarise its model: its drift has no
//    expectation (expected and standardError null, never flagged);
//  - for every item, its type and score categories, the mean score (and the mean of score / maxScore), and how
//    many responses fell into each category 0..K. For a right/wrong item the categories are wrong and right,
//    and the mean score is the proportion correct.
// A page of items is one query whatever its size; one item is its access lookup and that query.
import { assertOwnOrganization, pageSize, toPage, type AuthenticatedUser, type Page, type PageRequest } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
import type { JsonSerializer } from './response-cache.js'
import type { ItemStatisticsRow } from '../repositories/item-statistics-repository.js'
import { organizationOf } from './access.js'
import { ItemNotFoundError } from '../errors.js'
import { ratio, round } from './statistics.js'

export interface ItemStatistics {
  id: string
  organizationId: string
  subject: string | null
  topics: string[]
  status: string | null
  parameters: { a: number, b: number, c: number, d: number } | null
  administrations: number
  exposureRate: number | null
  proportionCorrect: number | null
  meanResponseTimeMs: number | null
  pointBiserial: number | null
  drift: { n: number, observed: number | null, expected: number | null, standardError: number | null, flagged: boolean }
  type: string
  categories: number
  meanScore: number | null
  meanScoreRatio: number | null
  categoryFrequencies: Array<{ category: number, count: number }>
}

export interface ItemFilter extends PageRequest { subject?: string, status?: string }

/** The scores 0..K counted, K the highest of the item's categories and the scores its responses carry. */
function categoryFrequencies (r: ItemStatisticsRow, categories: number): ItemStatistics['categoryFrequencies'] {
  const top = r.score_counts.reduce((most, [score]) => Math.max(most, score), Math.max(categories - 1, r.max_score ?? 0))
  const counts = new Map(r.score_counts)
  return Array.from({ length: top + 1 }, (_, category) => ({ category, count: counts.get(category) ?? 0 }))
}

function toStatistics (r: ItemStatisticsRow, driftMin: number): ItemStatistics {
  const known = r.a !== null && r.b !== null && r.c !== null && r.d !== null
  const frequencies = categoryFrequencies(r, r.categories ?? 2)
  const polytomous = frequencies.length > 2
  const expected = known && !polytomous && r.n > 0 && r.expected !== null ? r.expected : null
  const se = expected !== null && r.variance !== null ? Math.sqrt(r.variance) / r.n : null
  const observed = r.n > 0 ? r.observed / r.n : null
  const flagged = expected !== null && se !== null && observed !== null && r.n >= driftMin && Math.abs(observed - expected / r.n) > 3 * se
  return {
    id: r.id,
    organizationId: r.organization_id,
    subject: r.subject,
    topics: r.topics ?? [],
    status: r.status,
    parameters: known ? { a: r.a!, b: r.b!, c: r.c!, d: r.d! } : null,
    administrations: r.administrations,
    exposureRate: ratio(r.administrations, r.sessions),
    proportionCorrect: ratio(r.correct, r.administrations),
    meanResponseTimeMs: r.mean_time === null ? null : round(r.mean_time, 1),
    pointBiserial: r.point_biserial === null ? null : round(r.point_biserial),
    drift: { n: r.n, observed: observed === null ? null : round(observed), expected: expected === null ? null : round(expected / r.n), standardError: se === null ? null : round(se), flagged },
    type: r.type ?? 'single',
    categories: frequencies.length,
    meanScore: r.mean_score === null ? null : round(r.mean_score),
    meanScoreRatio: r.mean_score_ratio === null ? null : round(r.mean_score_ratio),
    categoryFrequencies: frequencies
  }
}

/** A page as its route sends it (`json`: the route's serializer); the organization is the caller's, so no access facts are kept. */
export async function listItemStatistics (deps: AnalyticsDeps, user: AuthenticatedUser, filter: ItemFilter, json: JsonSerializer<Page<ItemStatistics>>): Promise<string> {
  const organizationId = organizationOf(user)
  const limit = pageSize(filter)
  const key = JSON.stringify([filter.cursor ?? null, limit, filter.subject ?? null, filter.status ?? null])
  const { body } = await deps.cache.rendered('item-statistics', organizationId, key, json, async () => {
    const rows = await deps.repositories.itemStatistics.page({ organizationId, cursor: filter.cursor, subject: filter.subject, status: filter.status }, limit + 1)
    return { facts: null, value: toPage(rows.map((r) => toStatistics(r, deps.driftMinResponses)), limit) }
  })
  return body!
}

/** One item's statistics as its route sends them (`json`: the route's serializer). */
export async function itemStatistics (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string, json: JsonSerializer<ItemStatistics>): Promise<string> {
  const { facts, body } = await deps.cache.rendered('item', organizationOf(user), itemId, json, async () => {
    await authorizeItem(deps, user, itemId)
    const row = await deps.repositories.itemStatistics.one(itemId)
    if (row === undefined) throw new ItemNotFoundError()
    return { facts: { organizationId: row.organization_id }, value: toStatistics(row, deps.driftMinResponses) }
  })
  assertOwnOrganization(user, facts.organizationId, () => new ItemNotFoundError())
  return body!
}

/**
 * Throws unless the item is of the user's organization (a primary-key lookup): another organization's item is
 * answered like one that does not exist, before any statistic is computed. Thrown, not cached.
 */
async function authorizeItem (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string): Promise<void> {
  assertOwnOrganization(user, await deps.repositories.itemStatistics.organizationOf(itemId), () => new ItemNotFoundError())
}
