// The organization's scale for a subject as the reports' queries return it beside θ: one JSON value of the
// scales row joined as `sc` (null when there is none), read by domain/reporting-scale.ts's scaleFromRow.
import { sql } from 'drizzle-orm'

export type ScaleColumns = { slope: number, intercept: number, decimals: number, min: number | null, max: number | null }

export const scaleJson = sql`case when sc.slope is null then null else json_build_object('slope', sc.slope, 'intercept', sc.intercept, 'decimals', sc.decimals, 'min', sc.min, 'max', sc.max) end`
