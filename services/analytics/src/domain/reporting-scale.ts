// An organization's reporting scale for a subject: a linear transformation of θ, as NWEA's RIT scale is one of
// the Rasch logit (RIT = 200 + 10·θ; Thum & Kuhfeld 2020). A score is intercept + slope·θ rounded to the
// scale's decimals and held within its bounds; its SE is |slope|·SE(θ), rounded alike (a linear map scales the
// SD of the estimate by |slope|, and bounds do not apply to an SE).
import type { ValueScale } from '@dreamseed/charts'
import { ScaleBoundsReversedError, ScaleDecimalsError, ScaleZeroSlopeError } from '../errors.js'
import { round } from './statistics.js'

export interface ReportingScale {
  slope: number
  intercept: number
  /** 0..3 */
  decimals: number
  min: number | null
  max: number | null
}

export interface ScaleScore { score: number, se: number }

/** What a route accepts; checked here, so the table's own checks are never what refuses it. */
export function assertValidScale (scale: ReportingScale): void {
  if (!Number.isFinite(scale.slope) || scale.slope === 0) throw new ScaleZeroSlopeError()
  if (!Number.isInteger(scale.decimals) || scale.decimals < 0 || scale.decimals > 3) throw new ScaleDecimalsError()
  if (scale.min !== null && scale.max !== null && !(scale.min < scale.max)) throw new ScaleBoundsReversedError()
}

export function scaleScore (scale: ReportingScale | null, theta: number, se: number): ScaleScore | null {
  if (scale === null) return null
  let score = round(scale.intercept + scale.slope * theta, scale.decimals)
  if (scale.min !== null) score = Math.max(scale.min, score)
  if (scale.max !== null) score = Math.min(scale.max, score)
  return { score, se: round(Math.abs(scale.slope) * se, scale.decimals) }
}

/**
 * The change from one score to another on the scale: the difference of the scores as reported (so the figures
 * a reader sees add up; at a bound it is the bounded scores' difference), with |slope|·SE of the θ difference.
 */
export function scaleDifference (scale: ReportingScale | null, from: ScaleScore | null, to: ScaleScore | null, seTheta: number): ScaleScore | null {
  if (scale === null || from === null || to === null) return null
  return { score: round(to.score - from.score, scale.decimals), se: round(Math.abs(scale.slope) * seTheta, scale.decimals) }
}

/** θ's ranges a chart always shows (-3..3) and cuts its band at (±6), carried onto the scale. */
export function chartScale (scale: ReportingScale): ValueScale {
  const onScale = (lo: number, hi: number): [number, number] => {
    const ends = [scale.intercept + scale.slope * lo, scale.intercept + scale.slope * hi].sort((a, b) => a - b) as [number, number]
    const bounded: [number, number] = [Math.max(scale.min ?? -Infinity, ends[0]), Math.min(scale.max ?? Infinity, ends[1])]
    // Bounds narrower than the range can squeeze it to nothing (a scale whose floor is above 200 + 10·3): keep it whole then.
    return bounded[0] < bounded[1] ? bounded : ends
  }
  return { axisLabel: SCALE_AXIS, name: 'score', shown: onScale(-3, 3), bandLimits: onScale(-6, 6), decimals: scale.decimals }
}

export const SCALE_AXIS = 'Scale score'
export const THETA_AXIS = 'Ability (\u03b8)'

/** A scale as stored (snake_case columns, numbers possibly strings from JSON) or null. */
export function scaleFromRow (row: { slope: number, intercept: number, decimals: number, min: number | null, max: number | null } | null | undefined): ReportingScale | null {
  if (row === null || row === undefined || row.slope === null || row.slope === undefined) return null
  return { slope: Number(row.slope), intercept: Number(row.intercept), decimals: Number(row.decimals), min: row.min === null ? null : Number(row.min), max: row.max === null ? null : Number(row.max) }
}
