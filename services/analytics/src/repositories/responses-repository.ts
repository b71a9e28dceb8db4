// analytics' copy of answers, written by the exam projections: a response is recorded once, however often
// its event comes.
import { analyticsResponses } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

export type NewResponse = typeof analyticsResponses.$inferInsert

export function createResponsesRepository (db: Db | Tx) {
  return {
    async record (response: NewResponse): Promise<void> {
      await db.insert(analyticsResponses).values(response).onConflictDoNothing()
    },

    /** `record` for many answers in one statement: distinct by (session, position), in the order to lock them. */
    async recordMany (responses: NewResponse[]): Promise<void> {
      if (responses.length === 0) return
      await db.insert(analyticsResponses).values(responses).onConflictDoNothing()
    }
  }
}

export type ResponsesRepository = ReturnType<typeof createResponsesRepository>
