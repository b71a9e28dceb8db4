// The consumer side of exactly-once: an event's id goes into the service's inbox table in the same transaction
// as its effects, so a redelivered event finds its row and changes nothing the second time.
import { sql } from 'drizzle-orm'
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Db, Tx } from './database.js'

export type InboxTable = PgTable & { eventId: PgColumn, type: PgColumn }

export interface Inbox {
  /** Runs `apply` with the inbox row in one transaction; undefined, and nothing run, for an event seen before. */
  once: <R>(envelope: { id: string, type: string }, apply: (tx: Tx) => Promise<R>) => Promise<R | undefined>
  /**
   * Records many events in one transaction and runs `apply` in it with the ids not seen before (an id that
   * comes twice in the batch counts once): the caller applies those alone, and every row rolls back with the
   * effects if anything fails.
   */
  batch: <R>(envelopes: Array<{ id: string, type: string }>, apply: (tx: Tx, fresh: Set<string>) => Promise<R>) => Promise<R>
}

export function createInbox (db: Db, table: InboxTable): Inbox {
  return {
    once: async (envelope, apply) => await db.transaction(async (tx) => {
      const fresh = await tx.insert(table).values({ eventId: envelope.id, type: envelope.type } as never).onConflictDoNothing().returning({ id: table.eventId })
      if (fresh.length === 0) return undefined
      return await apply(tx)
    }),
    batch: async (envelopes, apply) => await db.transaction(async (tx) => {
      // Postgres hands uuids back in lower case: the caller's own spelling of each is kept to answer with.
      const byId = new Map<string, { id: string, type: string }>()
      for (const e of envelopes) if (!byId.has(e.id.toLowerCase())) byId.set(e.id.toLowerCase(), e)
      // In id order, so two batches sharing events (a redelivery racing its first delivery) lock them in the same order.
      const rows = [...byId.keys()].sort().map((id) => ({ id, type: byId.get(id)!.type }))
      // The rows as one JSON parameter: drizzle takes longer to build a statement of two parameters a row.
      const [eventId, type] = [sql.identifier(table.eventId.name), sql.identifier(table.type.name)]
      const fresh = rows.length === 0
        ? []
        : await tx.execute<{ id: string }>(sql`insert into ${table} (${eventId}, ${type}) select id, type from json_to_recordset(${JSON.stringify(rows)}::json) as r(id uuid, type text) on conflict do nothing returning ${eventId} as id`)
      return await apply(tx, new Set([...fresh].map((r) => byId.get(r.id)!.id)))
    })
  }
}
