// Reporting scales, one per organization and subject, written by its admins.
import { sql } from 'drizzle-orm'
import type { Db } from '@dreamseed/kit'
import type { ReportingScale } from '../domain/reporting-scale.js'

export type ScaleRow = { subject: string, slope: number, intercept: number, decimals: number, min: number | null, max: number | null, updatedBy: string, updatedAt: string }

export function createScalesRepository (db: Db) {
  return {
    /** Sets the organization's scale for the subject (created or replaced). */
    async put (organizationId: string, subject: string, scale: ReportingScale, by: string, at: Date): Promise<ScaleRow> {
      const [row] = await db.execute<ScaleRow>(sql`
        insert into analytics.scales (organization_id, subject, slope, intercept, decimals, min, max, updated_by, updated_at)
        values (${organizationId}, ${subject}, ${scale.slope}, ${scale.intercept}, ${scale.decimals}, ${scale.min}, ${scale.max}, ${by}, ${at.toISOString()})
        on conflict (organization_id, subject) do update set slope = excluded.slope, intercept = excluded.intercept, decimals = excluded.decimals,
          min = excluded.min, max = excluded.max, updated_by = excluded.updated_by, updated_at = excluded.updated_at
        returning subject, slope, intercept, decimals, min, max, updated_by as "updatedBy", updated_at as "updatedAt"`)
      return row!
    },

    /** The organization's scale for one subject, or null. */
    async forSubject (organizationId: string, subject: string): Promise<ScaleColumns | null> {
      const [row] = await db.execute<ScaleColumns>(sql`
        select slope, intercept, decimals, min, max from analytics.scales where organization_id = ${organizationId} and subject = ${subject}`)
      return row ?? null
    },

    async list (organizationId: string): Promise<ScaleRow[]> {
      return await db.execute<ScaleRow>(sql`
        select subject, slope, intercept, decimals, min, max, updated_by as "updatedBy", updated_at as "updatedAt"
        from analytics.scales where organization_id = ${organizationId} order by subject`)
    }
  }
}

// The organization's scale for a subject as the reports' queries return it beside θ: one JSON value of the
// scales row joined as `sc` (null when there is none), read by domain/reporting-scale.ts's scaleFromRow.
export type ScaleColumns = { slope: number, intercept: number, decimals: number, min: number | null, max: number | null }

export const scaleJson = sql`case when sc.slope is null then null else json_build_object('slope', sc.slope, 'intercept', sc.intercept, 'decimals', sc.decimals, 'min', sc.min, 'max', sc.max) end`
