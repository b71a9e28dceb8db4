// analytics' copy of classrooms and their members, written by the organization projections in any arrival
// order: a classroom is created once, and a membership takes the state of its latest change.
import { sql } from 'drizzle-orm'
import { analyticsClassroomMembers, analyticsClassrooms } from '@dreamseed/schema/analytics'
import type { Db, Tx } from '@dreamseed/kit'

export interface Membership { classroomId: string, userId: string, organizationId: string, role: string }

export function createClassroomsRepository (db: Db | Tx) {
  return {
    async create (classroom: { id: string, organizationId: string, teacherId: string, name: string, createdAt: Date }): Promise<void> {
      await db.insert(analyticsClassrooms).values(classroom).onConflictDoNothing()
    },

    async setMembership (m: Membership, removed: boolean, at: Date): Promise<void> {
      const t = analyticsClassroomMembers
      // At the same instant a removal wins over an add, whichever arrives first.
      const newer = removed ? sql`excluded.changed_at >= ${t.changedAt}` : sql`excluded.changed_at > ${t.changedAt}`
      await db.insert(t).values({ classroomId: m.classroomId, userId: m.userId, organizationId: m.organizationId, role: m.role, removed, changedAt: at })
        .onConflictDoUpdate({ target: [t.classroomId, t.userId], set: { removed, role: m.role, changedAt: at }, setWhere: newer })
    }
  }
}

export type ClassroomsRepository = ReturnType<typeof createClassroomsRepository>
