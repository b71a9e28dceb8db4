// Scores by item type over a set of completed sessions, as one SQL expression the report queries embed: each
// session's per-type results (exam.session.completed's `types`) summed per type. A session whose event carries
// no `types` dates from before item types, when every item was a single-choice right/wrong item: it counts as
// `single`, its scored answers answered, its correct ones both correct and its score, out of one point each.
import { sql, type SQL } from 'drizzle-orm'

/** Summed per type over the sessions; the kind order exam uses, any other type after them. */
export interface TypeTotalsRow { type: string, sessions: number, answered: number, correct: number, score: number, maxScore: number }

const ORDER = sql.raw(`array['single', 'multiple', 'numeric', 'text', 'rating']`)

/**
 * A json array of TypeTotalsRow over the completed sessions not voided `st` (an alias of analytics.sessions) that
 * `where` selects.
 */
export function typeTotals (where: SQL): SQL {
  return sql`(select coalesce(json_agg(json_build_object('type', x.type, 'sessions', x.sessions, 'answered', x.answered, 'correct', x.correct, 'score', x.score, 'maxScore', x.max_score)
                 order by array_position(${ORDER}, x.type), x.type), '[]'::json)
     from (select t.type, count(distinct st.id)::int as sessions, sum(t.answered)::int as answered, sum(t.correct)::int as correct, sum(t.score)::int as score, sum(t."maxScore")::int as max_score
             from analytics.sessions st
             cross join lateral jsonb_to_recordset(coalesce(st.types, case when st.items_answered > 0 then jsonb_build_array(jsonb_build_object(
               'type', 'single', 'answered', st.items_answered, 'correct', st.correct_count, 'score', st.correct_count, 'maxScore', st.items_answered)) else '[]'::jsonb end))
               as t(type text, answered int, correct int, score int, "maxScore" int)
            where ${where} and st.completed_at is not null and not st.voided
            group by t.type) x)`
}
