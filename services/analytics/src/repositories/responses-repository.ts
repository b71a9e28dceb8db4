// analytics' copy of answers, written by the exam projections: a response is recorded once, however often
// its event comes, and never for a voided session (whose responses the void removed: any arrival order ends
// with none of them).
import { sql } from 'drizzle-orm'
import { analyticsResponses } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

export type NewResponse = typeof analyticsResponses.$inferInsert

const rowOf = (r: NewResponse) => ({
  session_id: r.sessionId, position: r.position, item_id: r.itemId, exam_id: r.examId, organization_id: r.organizationId, student_id: r.studentId, correct: r.correct, pretest: r.pretest,
  theta_after: r.thetaAfter, se_after: r.seAfter, time_taken_ms: r.timeTakenMs ?? null, answered_at: r.answeredAt, answered_on: r.answeredOn, score: r.score, max_score: r.maxScore,
  rapid_guess: r.rapidGuess ?? null
})

/** On a row `r` about to be inserted: its session is not voided. */
const notVoided = sql`not exists (select 1 from analytics.sessions v where v.id = r.session_id and v.voided)`

export function createResponsesRepository (db: Db | Tx) {
  return {
    async record (response: NewResponse): Promise<void> {
      await db.execute(sql`insert into analytics.responses select r.* from json_populate_record(null::analytics.responses, ${JSON.stringify(rowOf(response))}::json) r
        where ${notVoided} on conflict do nothing`)
    },

    /** Removes a voided session's responses from every statistic. */
    async dropSession (sessionId: string): Promise<void> {
      await db.delete(analyticsResponses).where(sql`${analyticsResponses.sessionId} = ${sessionId}`)
    },

    /**
     * `record` for many answers in one statement: distinct by (session, position), in the order to lock them.
     * The rows go as one JSON parameter: building a statement of fifteen parameters a row cost more than
     * Postgres took to run it.
     */
    async recordMany (responses: NewResponse[]): Promise<void> {
      if (responses.length === 0) return
      await db.execute(sql`insert into analytics.responses select r.* from json_populate_recordset(null::analytics.responses, ${JSON.stringify(responses.map(rowOf))}::json) r
        where ${notVoided} on conflict do nothing`)
    }
  }
}

export type ResponsesRepository = ReturnType<typeof createResponsesRepository>
