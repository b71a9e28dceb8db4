// How items behave, for the teachers and admins of their organization, from the responses analytics has seen:
//  - exposure rate: administrations / sessions of the exams that have shown the item at least once (the
//    sessions that could have seen it; an item never shown has no rate);
//  - proportion correct and mean response time over every administration;
//  - point-biserial correlation of the response with the final ability of completed sessions;
//  - drift: with P(θ) the 4PL probability (D = 1) at each completed session's final θ, the observed number
//    correct is compared with ΣP; flagged when |observed − expected| / n > 3·sqrt(ΣP(1−P)) / n and n is at
//    least ANALYTICS_DRIFT_MIN_RESPONSES (a 3-SD departure under the item's own parameters).
// A page of items is one query whatever its size; one item is its access lookup and that query.
import { sql, type SQL } from 'drizzle-orm'
import { assertOwnOrganization, pageSize, toPage, type AuthenticatedUser, type Page, type PageRequest } from '@dreamseed/kit'
import type { AnalyticsDeps } from './deps.js'
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
}

export interface ItemFilter extends PageRequest { subject?: string, status?: string }

type Row = {
  id: string, organization_id: string, subject: string | null, topics: string[] | null, status: string | null
  a: number | null, b: number | null, c: number | null, d: number | null
  administrations: number, correct: number, mean_time: number | null, point_biserial: number | null
  n: number, observed: number, expected: number | null, variance: number | null, sessions: number
}

function query (where: SQL, limit: number): SQL {
  // exp's argument is bounded so that no stored theta can overflow it.
  return sql`
    with page as (select * from analytics.items i where ${where} order by i.id limit ${limit})
    select p.id, p.organization_id, p.subject, p.topics, p.status, p.a, p.b, p.c, p.d,
           count(r.item_id)::int as administrations,
           count(*) filter (where r.correct)::int as correct,
           avg(r.time_taken_ms)::float8 as mean_time,
           corr(r.correct::int, s.theta) filter (where s.completed_at is not null)::float8 as point_biserial,
           count(*) filter (where s.completed_at is not null)::int as n,
           count(*) filter (where s.completed_at is not null and r.correct)::int as observed,
           sum(pr.p) filter (where s.completed_at is not null)::float8 as expected,
           sum(pr.p * (1 - pr.p)) filter (where s.completed_at is not null)::float8 as variance,
           (select count(*)::int from analytics.sessions s2 where s2.exam_id in (select distinct r2.exam_id from analytics.responses r2 where r2.item_id = p.id)) as sessions
    from page p
    left join analytics.responses r on r.item_id = p.id
    left join analytics.sessions s on s.id = r.session_id
    left join lateral (select p.c + (p.d - p.c) / (1 + exp(least(greatest(-p.a * (s.theta - p.b), -50), 50))) as p) pr on true
    group by p.id, p.organization_id, p.subject, p.topics, p.status, p.a, p.b, p.c, p.d
    order by p.id`
}

function toStatistics (r: Row, driftMin: number): ItemStatistics {
  const known = r.a !== null && r.b !== null && r.c !== null && r.d !== null
  const expected = known && r.n > 0 && r.expected !== null ? r.expected : null
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
    drift: { n: r.n, observed: observed === null ? null : round(observed), expected: expected === null ? null : round(expected / r.n), standardError: se === null ? null : round(se), flagged }
  }
}

export async function listItemStatistics (deps: AnalyticsDeps, user: AuthenticatedUser, filter: ItemFilter): Promise<Page<ItemStatistics>> {
  const organizationId = organizationOf(user)
  const limit = pageSize(filter)
  const key = JSON.stringify([filter.cursor ?? null, limit, filter.subject ?? null, filter.status ?? null])
  return await deps.cache.get('item-statistics', organizationId, key, async () => {
    const conditions = [sql`i.organization_id = ${organizationId}`]
    if (filter.cursor !== undefined) conditions.push(sql`i.id > ${filter.cursor}`)
    if (filter.subject !== undefined) conditions.push(sql`i.subject = ${filter.subject}`)
    if (filter.status !== undefined) conditions.push(sql`i.status = ${filter.status}`)
    const rows = await deps.db.execute<Row>(query(sql.join(conditions, sql` and `), limit + 1))
    return toPage(rows.map((r) => toStatistics(r, deps.driftMinResponses)), limit)
  })
}

export async function itemStatistics (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string): Promise<ItemStatistics> {
  const stats = await deps.cache.get('item', organizationOf(user), itemId, async () => {
    await authorizeItem(deps, user, itemId)
    const [row] = await deps.db.execute<Row>(query(sql`i.id = ${itemId}`, 1))
    if (row === undefined) throw new ItemNotFoundError()
    return toStatistics(row, deps.driftMinResponses)
  })
  assertOwnOrganization(user, stats.organizationId, () => new ItemNotFoundError())
  return stats
}

/**
 * Throws unless the item is of the user's organization (a primary-key lookup): another organization's item is
 * answered like one that does not exist, before any statistic is computed. Thrown, not cached.
 */
async function authorizeItem (deps: AnalyticsDeps, user: AuthenticatedUser, itemId: string): Promise<void> {
  const [item] = await deps.db.execute<{ organization_id: string }>(sql`select organization_id from analytics.items where id = ${itemId}`)
  assertOwnOrganization(user, item?.organization_id ?? null, () => new ItemNotFoundError())
}
