// Small pure summaries the reports share: the distribution of a set of abilities, a histogram, and whether a
// student's ability in a subject moved by more than its measurement error.

export interface Bin { from: number, to: number, count: number }

export interface Distribution {
  n: number
  mean: number | null
  sd: number | null
  min: number | null
  q1: number | null
  median: number | null
  q3: number | null
  max: number | null
  histogram: Bin[]
}

/** Ability bins: half a logit wide from -4 to 4; values beyond fall into the outer bins. */
export const THETA_BINS = { from: -4, to: 4, width: 0.5 }

export function histogram (values: number[], bins: { from: number, to: number, width: number }): Bin[] {
  const count = Math.round((bins.to - bins.from) / bins.width)
  const out: Bin[] = Array.from({ length: count }, (_, i) => ({ from: round(bins.from + i * bins.width), to: round(bins.from + (i + 1) * bins.width), count: 0 }))
  for (const v of values) {
    const i = Math.min(count - 1, Math.max(0, Math.floor((v - bins.from) / bins.width)))
    out[i]!.count++
  }
  return out
}

/** Linear interpolation between order statistics, as Postgres' percentile_cont. */
function quantile (sorted: number[], p: number): number {
  const pos = (sorted.length - 1) * p
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

export function distribution (values: number[]): Distribution {
  const n = values.length
  if (n === 0) return { n, mean: null, sd: null, min: null, q1: null, median: null, q3: null, max: null, histogram: histogram([], THETA_BINS) }
  const sorted = [...values].sort((x, y) => x - y)
  const mean = sorted.reduce((a, v) => a + v, 0) / n
  const sd = n > 1 ? Math.sqrt(sorted.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : null
  return {
    n,
    mean: round(mean),
    sd: sd === null ? null : round(sd),
    min: round(sorted[0]!),
    q1: round(quantile(sorted, 0.25)),
    median: round(quantile(sorted, 0.5)),
    q3: round(quantile(sorted, 0.75)),
    max: round(sorted[n - 1]!),
    histogram: histogram(sorted, THETA_BINS)
  }
}

export type Trend = 'improving' | 'falling_behind' | 'steady' | 'single_estimate'

/**
 * Compares a student's last two estimates in a subject: a change larger than the combined standard error
 * sqrt(se1² + se2²) is taken as real (about a 1-SD criterion on the difference), anything smaller as noise.
 */
export function trend (latest: { theta: number, se: number }, previous: { theta: number, se: number } | undefined): Trend {
  if (previous === undefined) return 'single_estimate'
  const delta = latest.theta - previous.theta
  const threshold = Math.sqrt(latest.se ** 2 + previous.se ** 2)
  if (delta > threshold) return 'improving'
  if (delta < -threshold) return 'falling_behind'
  return 'steady'
}

/** Rounds for display and for answers that compare equal whether they come from the cache or not. */
export function round (x: number, digits = 4): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

export const ratio = (part: number, whole: number): number | null => whole === 0 ? null : round(part / whole)
