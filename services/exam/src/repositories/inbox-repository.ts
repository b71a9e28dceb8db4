// The ids of the events exam has applied: an event's id goes in in the same transaction as its effects, so a
// redelivered event finds it there and is not applied twice.
import { inbox } from '@dreamseed/schema/exam'
import type { Envelope } from '@dreamseed/events'
import type { Db, Tx } from './db.js'

export function createInboxRepository (db: Db | Tx) {
  return {
    /** Records the event as applied; false when it already was. Inside the transaction that applies it. */
    receive: async (envelope: Envelope<unknown>): Promise<boolean> => {
      const fresh = await db.insert(inbox).values({ eventId: envelope.id, type: envelope.type }).onConflictDoNothing().returning({ id: inbox.eventId })
      return fresh.length > 0
    }
  }
}

export type InboxRepository = ReturnType<typeof createInboxRepository>
