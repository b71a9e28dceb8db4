// An organization's terms. A new term is checked against the others and written in one transaction holding a
// lock on the organization, so two admins adding overlapping terms at once cannot both succeed.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'

export type TermRow = { id: string, name: string, startsAt: string, endsAt: string }

export type CreateTermResult = { created: TermRow } | { overlaps: TermRow } | { nameTaken: true }

const columns = sql`id, name, starts_at as "startsAt", ends_at as "endsAt"`

export function createTermsRepository (db: Db) {
  return {
    async create (organizationId: string, term: { id: string, name: string, startsAt: Date, endsAt: Date }, by: string, at: Date): Promise<CreateTermResult> {
      return await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`analytics.terms:${organizationId}`}, 0))`)
        const [clash] = await tx.execute<TermRow & { same_name: boolean }>(sql`
          select ${columns}, name = ${term.name} as same_name from analytics.terms
          where organization_id = ${organizationId}
            and (name = ${term.name} or (starts_at < ${term.endsAt.toISOString()} and ${term.startsAt.toISOString()} < ends_at))
          order by (name = ${term.name}) desc limit 1`)
        if (clash !== undefined) {
          const { same_name: sameName, ...overlapping } = clash
          return sameName ? { nameTaken: true as const } : { overlaps: overlapping }
        }
        const [created] = await tx.execute<TermRow>(sql`
          insert into analytics.terms (id, organization_id, name, starts_at, ends_at, created_by, created_at)
          values (${term.id}, ${organizationId}, ${term.name}, ${term.startsAt.toISOString()}, ${term.endsAt.toISOString()}, ${by}, ${at.toISOString()})
          returning ${columns}`)
        return { created: created! }
      })
    },

    async list (organizationId: string): Promise<TermRow[]> {
      return await db.execute<TermRow>(sql`select ${columns} from analytics.terms where organization_id = ${organizationId} order by starts_at`)
    },

    /** Whether the organization had the term (another organization's is left alone, as one that does not exist). */
    async delete (organizationId: string, termId: string): Promise<boolean> {
      const rows = await db.execute<{ id: string }>(sql`delete from analytics.terms where id = ${termId} and organization_id = ${organizationId} returning id`)
      return rows.length > 0
    }
  }
}
