// The read models as a whole, for a rebuild: emptied together (the inbox with them), and the organizations
// that have any data in them. Promotions are decisions, not derived data, and are not among them.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'

export const READ_MODEL_TABLES = ['inbox', 'users', 'classrooms', 'classroom_members', 'items', 'exams', 'assignments', 'sessions', 'responses'] as const

export function createReadModelsRepository (db: Db) {
  return {
    async truncate (): Promise<void> {
      await db.execute(sql.raw(`truncate ${READ_MODEL_TABLES.map((t) => `analytics.${t}`).join(', ')}`))
    },

    async organizations (): Promise<string[]> {
      const rows = await db.execute<{ organization_id: string }>(sql`
        select organization_id from analytics.classrooms union select organization_id from analytics.sessions
        union select organization_id from analytics.items union select organization_id from analytics.users where organization_id is not null`)
      return rows.map((r) => r.organization_id)
    }
  }
}

export type ReadModelsRepository = ReturnType<typeof createReadModelsRepository>
