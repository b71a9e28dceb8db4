// Students' accommodation profiles: read one with its student's standing in the organization, write one whole,
// and delete one (returning what it was, for the audit).
import { and, eq, sql } from 'drizzle-orm'
import { accommodations, users } from '@dreamseed/schema/auth'
import type { Executor, Role } from '@dreamseed/kit'

export interface AccommodationsRow {
  organizationId: string
  userId: string
  timeMultiplier: number
  extraBreaks: number
  flags: string[]
  updatedBy: string
  updatedAt: Date
}

const columns = {
  organizationId: accommodations.organizationId,
  userId: accommodations.userId,
  timeMultiplier: accommodations.timeMultiplier,
  extraBreaks: accommodations.extraBreaks,
  flags: accommodations.flags,
  updatedBy: accommodations.updatedBy,
  updatedAt: accommodations.updatedAt
}

export function createAccommodationsRepository (db: Executor) {
  return {
    /** The user's role in the organization and their profile there; undefined when they do not belong to it. One query. */
    ofMember: async (organizationId: string, userId: string): Promise<{ role: Role, profile: AccommodationsRow | null } | undefined> => {
      const [row] = await db.select({ role: users.role, profile: sql<AccommodationsRow | null>`(select row_to_json(p) from (select a.organization_id as "organizationId", a.user_id as "userId",
          a.time_multiplier as "timeMultiplier", a.extra_breaks as "extraBreaks", a.flags, a.updated_by as "updatedBy", a.updated_at as "updatedAt"
          from auth.accommodations a where a.organization_id = ${organizationId} and a.user_id = ${userId}) p)` })
        .from(users).where(and(eq(users.id, userId), eq(users.organizationId, organizationId)))
      if (row === undefined) return undefined
      return { role: row.role, profile: row.profile === null ? null : { ...row.profile, updatedAt: new Date(row.profile.updatedAt) } }
    },

    find: async (organizationId: string, userId: string): Promise<AccommodationsRow | undefined> => {
      const [row] = await db.select(columns).from(accommodations).where(and(eq(accommodations.organizationId, organizationId), eq(accommodations.userId, userId)))
      return row
    },

    /** Writes the whole profile, replacing any there was. */
    put: async (row: AccommodationsRow): Promise<void> => {
      const { organizationId: _o, userId: _u, ...rest } = row
      await db.insert(accommodations).values(row).onConflictDoUpdate({ target: [accommodations.organizationId, accommodations.userId], set: rest })
    },

    /** Deletes the profile; returns what it was, undefined when there was none. */
    remove: async (organizationId: string, userId: string): Promise<AccommodationsRow | undefined> => {
      const [row] = await db.delete(accommodations).where(and(eq(accommodations.organizationId, organizationId), eq(accommodations.userId, userId))).returning(columns)
      return row
    }
  }
}

export type AccommodationsRepository = ReturnType<typeof createAccommodationsRepository>
