// Items with the sums their statistics are computed from (administrations, correct answers, response times,
// the correlation with final abilities, the drift sums under the item's own parameters, and the scores and their
// counts per category): one query for a
// page of items whatever its size, and the primary-key lookup that decides who may read one.
import { sql, type SQL } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'

export type ItemStatisticsRow = {
  id: string, organization_id: string, subject: string | null, topics: string[] | null, status: string | null
  a: number | null, b: number | null, c: number | null, d: number | null
  administrations: number, correct: number, mean_time: number | null, point_biserial: number | null
  n: number, observed: number, expected: number | null, variance: number | null, sessions: number
  /** As stored: null when the item's events carry none (a single item of two categories). */
  type: string | null, categories: number | null
  mean_score: number | null, mean_score_ratio: number | null, max_score: number | null
  /** [score, responses] for each score given at least once. */
  score_counts: Array<[number, number]>
}

export interface ItemPageFilter { organizationId: string, cursor?: string | undefined, subject?: string | undefined, status?: string | undefined }

function query (where: SQL, limit: number): SQL {
  // exp's argument is bounded so that no stored theta can overflow it.
  return sql`
    with page as (select * from analytics.items i where ${where} order by i.id limit ${limit})
    select p.id, p.organization_id, p.subject, p.topics, p.status, p.a, p.b, p.c, p.d, p.type, p.categories,
           count(r.item_id)::int as administrations,
           count(*) filter (where r.correct)::int as correct,
           avg(r.time_taken_ms)::float8 as mean_time,
           corr(r.correct::int, s.theta) filter (where s.completed_at is not null)::float8 as point_biserial,
           count(*) filter (where s.completed_at is not null)::int as n,
           count(*) filter (where s.completed_at is not null and r.correct)::int as observed,
           sum(pr.p) filter (where s.completed_at is not null)::float8 as expected,
           sum(pr.p * (1 - pr.p)) filter (where s.completed_at is not null)::float8 as variance,
           avg(r.score)::float8 as mean_score,
           avg(r.score::float8 / r.max_score)::float8 as mean_score_ratio,
           max(r.max_score)::int as max_score,
           (select coalesce(json_agg(json_build_array(c.score, c.n) order by c.score), '[]'::json)
              from (select r3.score, count(*)::int as n from analytics.responses r3 where r3.item_id = p.id group by r3.score) c) as score_counts,
           (select count(*)::int from analytics.sessions s2 where not s2.voided and s2.exam_id in (select distinct r2.exam_id from analytics.responses r2 where r2.item_id = p.id)) as sessions
    from page p
    left join analytics.responses r on r.item_id = p.id
    left join analytics.sessions s on s.id = r.session_id
    left join lateral (select p.c + (p.d - p.c) / (1 + exp(least(greatest(-p.a * (s.theta - p.b), -50), 50))) as p) pr on true
    group by p.id, p.organization_id, p.subject, p.topics, p.status, p.a, p.b, p.c, p.d, p.type, p.categories
    order by p.id`
}

export function createItemStatisticsRepository (db: Db) {
  return {
    /** Up to `limit` of the organization's items after the cursor, matching the filter, in id order. */
    async page (filter: ItemPageFilter, limit: number): Promise<ItemStatisticsRow[]> {
      const conditions = [sql`i.organization_id = ${filter.organizationId}`]
      if (filter.cursor !== undefined) conditions.push(sql`i.id > ${filter.cursor}`)
      if (filter.subject !== undefined) conditions.push(sql`i.subject = ${filter.subject}`)
      if (filter.status !== undefined) conditions.push(sql`i.status = ${filter.status}`)
      return await db.execute<ItemStatisticsRow>(query(sql.join(conditions, sql` and `), limit))
    },

    async one (itemId: string): Promise<ItemStatisticsRow | undefined> {
      const [row] = await db.execute<ItemStatisticsRow>(query(sql`i.id = ${itemId}`, 1))
      return row
    },

    /** The item's organization (a primary-key lookup), or null when there is no such item. */
    async organizationOf (itemId: string): Promise<string | null> {
      const [item] = await db.execute<{ organization_id: string }>(sql`select organization_id from analytics.items where id = ${itemId}`)
      return item?.organization_id ?? null
    }
  }
}

export type ItemStatisticsRepository = ReturnType<typeof createItemStatisticsRepository>
