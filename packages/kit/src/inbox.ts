// The consumer side of exactly-once: an event's id goes into the service's inbox table in the same transaction
// as its effects, so a redelivered event finds its row and changes nothing the second time.
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db, Tx } from './database.js'

export type InboxTable = PgTable & { eventId: PgColumn, type: PgColumn }

export interface Inbox {
  /** Runs `apply` with the inbox row in one transaction; undefined, and nothing run, for an event seen before. */
  once: <R>(envelope: { id: string, type: string }, apply: (tx: Tx) => Promise<R>) => Promise<R | undefined>
}

export function createInbox (db: Db, table: InboxTable): Inbox {
  return {
    once: async (envelope, apply) => await db.transaction(async (tx) => {
      const fresh = await tx.insert(table).values({ eventId: envelope.id, type: envelope.type } as never).onConflictDoNothing().returning({ id: table.eventId })
      if (fresh.length === 0) return undefined
      return await apply(tx)
    })
  }
}
