// Items' typical response times and rapid-guess thresholds (exam.item_timing): computed again from the responses
// of completed sessions by one statement, one replica at a time; and read, as a scalar subquery, by the
// statement that shows an item, which keeps the threshold with the session.
import { sql, type SQL } from 'drizzle-orm'
import type { Executor } from '@dreamseed/kit'

/** How thresholds are made from medians (effort.ts, item-timing.ts). */
export interface TimingRules {
  share: number
  floorMs: number
  capMs: number
  minResponses: number
  /** How long a refresh stands: a replica's pass within this of the last one (any replica's) writes nothing. */
  everyMs: number
}

/** The rapid-guess threshold an item is shown with: its own, else the default; null without an item. */
export const thresholdOf = (itemId: string | null, defaultMs: number): SQL => itemId === null
  ? sql`null::int`
  : sql`coalesce((select t.threshold_ms from exam.item_timing t where t.item_id = ${itemId}::uuid), ${defaultMs}::int)`

/** Any key, the same in every replica: the job's turn (advisory locks are per database). */
const LOCK = sql`hashtext('exam.item_timing')`

export function createItemTimingRepository (db: Executor) {
  return {
    /**
     * Every item's median response time (answered_at − served_at, the server's clock) over the responses of
     * completed sessions not voided, and its threshold: `share` of it within [floorMs, capMs], or null below
     * `minResponses` responses. Upserted in one statement while holding a transaction-scoped advisory lock;
     * undefined, and nothing written, when another replica holds it (it is doing the same work) or refreshed
     * within `everyMs` (every replica runs the job on its own clock: without this, n replicas would redo the
     * whole computation n times an interval). Inside a transaction (transaction()).
     */
    refresh: async (rules: TimingRules, now: Date): Promise<number | undefined> => {
      const [lock] = await db.execute<{ got: boolean }>(sql`select pg_try_advisory_xact_lock(${LOCK}) as got`)
      if (lock?.got !== true) return undefined
      // Read after the lock (a statement of its own, so a new snapshot): a pass that committed just before is seen.
      const [last] = await db.execute<{ fresh: boolean }>(sql`select exists (select 1 from exam.item_timing
        where updated_at > ${new Date(now.getTime() - rules.everyMs).toISOString()}::timestamptz) as fresh`)
      if (last?.fresh === true) return undefined
      const rows = await db.execute<{ n: number }>(sql`
        with timed as (
          select r.item_id, count(*)::int as responses,
            percentile_cont(0.5) within group (order by extract(epoch from (r.answered_at - r.served_at))::float8 * 1000) as median_ms
          from exam.responses r join exam.sessions s on s.id = r.session_id
          where s.status = 'completed' and s.voided_at is null
          group by r.item_id
        ), up as (
          insert into exam.item_timing (item_id, responses, median_ms, threshold_ms, updated_at)
          select item_id, responses, median_ms,
            case when responses >= ${rules.minResponses}::int then least(${rules.capMs}::int, greatest(${rules.floorMs}::int, round(${rules.share}::float8 * median_ms)::int)) end,
            ${now.toISOString()}::timestamptz
          from timed
          on conflict (item_id) do update set responses = excluded.responses, median_ms = excluded.median_ms, threshold_ms = excluded.threshold_ms, updated_at = excluded.updated_at
          returning 1
        )
        select count(*)::int as n from up`)
      return rows[0]!.n
    }
  }
}

export type ItemTimingRepository = ReturnType<typeof createItemTimingRepository>
