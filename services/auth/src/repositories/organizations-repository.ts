// Organizations (schools): created, found by name (the admin command), and locked to serialize what their
// admins do at once.
import { eq, sql } from 'drizzle-orm'
import { organizations } from '@dreamseed/schema/auth'
import type { Executor } from '@dreamseed/kit'

export function createOrganizationsRepository (db: Executor) {
  return {
    insert: async (organization: { id: string, name: string, createdBy: string | null, now: Date }): Promise<void> => {
      const { now, ...fields } = organization
      await db.insert(organizations).values({ ...fields, createdAt: now })
    },

    /** Locks an organization's row (serializing its admins' invitations) and returns its name. */
    lock: async (id: string): Promise<{ id: string, name: string } | undefined> => {
      const [organization] = await db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(eq(organizations.id, id)).for('update')
      return organization
    },

    /** The ids of organizations with exactly this name, two at most (names are not unique). */
    idsNamed: async (name: string): Promise<string[]> => {
      const rows = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, name)).limit(2)
      return rows.map((r) => r.id)
    },

    /** Serializes runs of the admin command until the transaction ends, so two cannot create one organization twice. */
    lockAdminCommand: async (): Promise<void> => {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext('auth.create-admin'))`)
    }
  }
}

export type OrganizationsRepository = ReturnType<typeof createOrganizationsRepository>
