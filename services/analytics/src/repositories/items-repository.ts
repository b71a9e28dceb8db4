// analytics' copy of items, written by the exam projections: the item's own event sets its fields (the later
// changedAt wins); a response to an item not heard of yet creates a bare row.
import { sql } from 'drizzle-orm'
import { analyticsItems } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

/** Every field the item's own event carries. */
export type ItemFields = Required<Pick<typeof analyticsItems.$inferInsert, 'organizationId' | 'subject' | 'topics' | 'status' | 'a' | 'b' | 'c' | 'd' | 'changedAt' | 'type' | 'categories' | 'irt'>>

export function createItemsRepository (db: Db | Tx) {
  const i = analyticsItems
  return {
    async upsert (id: string, fields: ItemFields): Promise<void> {
      await db.insert(i).values({ id, ...fields })
        .onConflictDoUpdate({ target: i.id, set: fields, setWhere: sql`${i.changedAt} is null or excluded.changed_at > ${i.changedAt}` })
    },

    async ensure (id: string, organizationId: string): Promise<void> {
      await db.insert(i).values({ id, organizationId }).onConflictDoNothing()
    },

    /** `ensure` for many items in one statement: rows distinct by id, in the order to lock them, sent as one JSON parameter (see recordMany). */
    async ensureMany (rows: Array<{ id: string, organizationId: string }>): Promise<void> {
      if (rows.length === 0) return
      await db.execute(sql`insert into analytics.items (id, organization_id) select id, organization_id from json_to_recordset(${JSON.stringify(rows.map((r) => ({ id: r.id, organization_id: r.organizationId })))}::json) as r(id uuid, organization_id uuid) on conflict do nothing`)
    }
  }
}

export type ItemsRepository = ReturnType<typeof createItemsRepository>
