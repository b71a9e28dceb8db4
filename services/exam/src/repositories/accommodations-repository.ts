// exam's read model of students' accommodation profiles (kept by accommodation-projections.ts from auth's
// user.accommodations.changed), and the profile in force as a subquery, so the statement that starts a session
// reads it. A change only moves forward in time: an older one that arrives late is ignored.
import { sql, type SQL } from 'drizzle-orm'
import { accommodations } from '@dreamseed/schema/exam'
import type { Executor } from '@dreamseed/kit'
import type { AccommodationProfile } from '../domain/model.js'

/** The student's profile in force in the organization as JSON, null without one. */
export const accommodationsOf = (organizationId: SQL, studentId: string): SQL<AccommodationProfile | null> => sql`(select json_build_object('timeMultiplier', a.time_multiplier,
  'extraBreaks', a.extra_breaks, 'flags', a.flags) from ${accommodations} a where a.organization_id = ${organizationId} and a.user_id = ${studentId} and not a.cleared)`

export interface AccommodationsChange {
  organizationId: string
  userId: string
  /** null: cleared. */
  profile: AccommodationProfile | null
  at: Date
}

export function createAccommodationsRepository (db: Executor) {
  return {
    /** A profile set or cleared at `at`, unless it already changed later. */
    set: async (c: AccommodationsChange): Promise<void> => {
      const fields = { timeMultiplier: c.profile?.timeMultiplier ?? 1, extraBreaks: c.profile?.extraBreaks ?? 0, flags: c.profile?.flags ?? [], cleared: c.profile === null, changedAt: c.at }
      await db.insert(accommodations).values({ organizationId: c.organizationId, userId: c.userId, ...fields })
        .onConflictDoUpdate({ target: [accommodations.organizationId, accommodations.userId], set: fields, setWhere: sql`excluded.changed_at > ${accommodations.changedAt}` })
    }
  }
}

export type AccommodationsRepository = ReturnType<typeof createAccommodationsRepository>
