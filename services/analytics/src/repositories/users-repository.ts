// analytics' copy of accounts, written by the organization projections. Every write is an upsert whose outcome
// does not depend on the order events arrive in: where two events compete for a field the later timestamp wins.
import { sql } from 'drizzle-orm'
import { analyticsUsers } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

export function createUsersRepository (db: Db | Tx) {
  const u = analyticsUsers
  return {
    /** The role as of `at` (an older change loses), with the name and organization when the event carries them. */
    async setRole (userId: string, role: string, at: Date, fields: { displayName?: string, organizationId?: string | null } = {}): Promise<void> {
      await db.insert(u).values({ id: userId, role, roleChangedAt: at, displayName: fields.displayName ?? null, organizationId: fields.organizationId ?? null })
        .onConflictDoUpdate({
          target: u.id,
          set: {
            role: sql`case when ${u.roleChangedAt} is null or excluded.role_changed_at > ${u.roleChangedAt} then excluded.role else ${u.role} end`,
            roleChangedAt: sql`greatest(${u.roleChangedAt}, excluded.role_changed_at)`,
            displayName: sql`coalesce(excluded.display_name, ${u.displayName})`,
            organizationId: sql`coalesce(excluded.organization_id, ${u.organizationId})`
          }
        })
    },

    async disable (userId: string, organizationId: string | null): Promise<void> {
      await db.insert(u).values({ id: userId, disabled: true, organizationId })
        .onConflictDoUpdate({ target: u.id, set: { disabled: true, organizationId: sql`coalesce(excluded.organization_id, ${u.organizationId})` } })
    },

    async setOrganization (userId: string, organizationId: string): Promise<void> {
      await db.insert(u).values({ id: userId, organizationId })
        .onConflictDoUpdate({ target: u.id, set: { organizationId } })
    },

    /** The organizations whose reports show the user: their account's and their classrooms'. */
    async organizationsOf (userId: string): Promise<string[]> {
      const rows = await db.execute<{ organization_id: string }>(sql`
        select organization_id from analytics.users where id = ${userId} and organization_id is not null
        union select organization_id from analytics.classroom_members where user_id = ${userId}`)
      return rows.map((r) => r.organization_id)
    }
  }
}

export type UsersRepository = ReturnType<typeof createUsersRepository>
