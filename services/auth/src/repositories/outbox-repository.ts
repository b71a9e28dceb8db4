// auth's outbox: events written in the transaction that makes the change they announce; the relay publishes them.
import { authOutbox } from '@dreamseed/schema/auth'
import { outboxRow, type Envelope } from '@dreamseed/events'
import type { Executor } from '@dreamseed/kit'

export function createOutboxRepository (db: Executor) {
  return {
    /** One statement for all of them. */
    append: async (events: Envelope[], aggregateId: string): Promise<void> => {
      if (events.length > 0) await db.insert(authOutbox).values(events.map((event) => outboxRow(event, aggregateId))).prepare('auth_outbox_append').execute()
    }
  }
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>
