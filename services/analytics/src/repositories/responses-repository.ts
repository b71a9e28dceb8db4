// analytics' copy of answers, written by the exam projections: a response is recorded once, however often
// its event comes.
import { analyticsResponses } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

export type NewResponse = typeof analyticsResponses.$inferInsert

export function createResponsesRepository (db: Db | Tx) {
  return {
    async record (response: NewResponse): Promise<void> {
      await db.insert(analyticsResponses).values(response).onConflictDoNothing()
    }
  }
}

export type ResponsesRepository = ReturnType<typeof createResponsesRepository>
