// Mapping data to pixels and choosing tick marks people can read: round numbers on
// value axes, calendar-aligned dates (UTC, so output does not depend on the server's zone).

/** Linear map from [d0, d1] to [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale (d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0
  if (span === 0) return () => (r0 + r1) / 2
  return (value) => r0 + ((value - d0) / span) * (r1 - r0)
}

/** Round-number ticks (by default 1, 2, 2.5 or 5 times a power of ten) in [lo, hi], at most about `count`. */
export function niceTicks (lo: number, hi: number, count: number, steps: readonly number[] = NICE_STEPS): number[] {
  if (!(hi > lo)) return [lo]
  const step = niceStep((hi - lo) / Math.max(1, count), steps)
  const first = Math.ceil(lo / step - 1e-9)
  const last = Math.floor(hi / step + 1e-9)
  const ticks: number[] = []
  for (let k = first; k <= last; k++) ticks.push(roundTo(k * step, step))
  return ticks
}

const NICE_STEPS = [1, 2, 2.5, 5, 10] as const

/**
 * Round-number ticks that cover [lo, hi] (niceTicks, plus one step below and above where the range passes the
 * ticks), so an axis starts and ends on a tick with every value on it; with their step.
 */
export function coveringTicks (lo: number, hi: number, count: number, steps: readonly number[] = NICE_STEPS): { ticks: number[], step: number } {
  const ticks = niceTicks(lo, hi, count, steps)
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1
  if (ticks[0]! > lo) ticks.unshift(ticks[0]! - step)
  if (ticks[ticks.length - 1]! < hi) ticks.push(ticks[ticks.length - 1]! + step)
  return { ticks, step }
}

/** The smallest of steps x 10^k that is at least `raw`. */
export function niceStep (raw: number, steps: readonly number[] = NICE_STEPS): number {
  const power = 10 ** Math.floor(Math.log10(raw))
  const fraction = raw / power
  return (steps.find((s) => fraction <= s + 1e-9) ?? 10) * power
}

/** Decimals that show every tick of this step distinctly. */
export function decimalsFor (step: number): number {
  let decimals = 0
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-9) decimals++
  return decimals
}

function roundTo (value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2)
  const rounded = Number(value.toFixed(decimals))
  return Object.is(rounded, -0) ? 0 : rounded
}

const HOUR = 3_600_000
const DAY = 24 * HOUR
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

export interface TimeTick {
  at: number
  label: string
}

type Interval = { kind: 'ms', size: number } | { kind: 'month', size: number }

const INTERVALS: Interval[] = [
  { kind: 'ms', size: HOUR },
  { kind: 'ms', size: 3 * HOUR },
  { kind: 'ms', size: 6 * HOUR },
  { kind: 'ms', size: 12 * HOUR },
  { kind: 'ms', size: DAY },
  { kind: 'ms', size: 2 * DAY },
  { kind: 'ms', size: 7 * DAY },
  { kind: 'ms', size: 14 * DAY },
  { kind: 'month', size: 1 },
  { kind: 'month', size: 3 },
  { kind: 'month', size: 6 },
  { kind: 'month', size: 12 },
  { kind: 'month', size: 24 },
  { kind: 'month', size: 60 },
  { kind: 'month', size: 120 }
]

/** Calendar-aligned ticks in [t0, t1] (ms since epoch): hours, days, Mondays, months or years. */
export function timeTicks (t0: number, t1: number, count: number): TimeTick[] {
  const span = t1 - t0
  const interval = INTERVALS.find((i) => span / approximateSize(i) <= count) ?? INTERVALS[INTERVALS.length - 1]!
  const times = interval.kind === 'ms' ? fixedTicks(t0, t1, interval.size) : monthTicks(t0, t1, interval.size)
  return times.map((at) => ({ at, label: timeLabel(at, interval) }))
}

function approximateSize (interval: Interval): number {
  return interval.kind === 'ms' ? interval.size : interval.size * 30.44 * DAY
}

function fixedTicks (t0: number, t1: number, size: number): number[] {
  // 1970-01-01 was a Thursday: weekly ticks fall on Mondays, four days later.
  const offset = size === 7 * DAY || size === 14 * DAY ? 4 * DAY : 0
  const ticks: number[] = []
  for (let at = Math.ceil((t0 - offset) / size) * size + offset; at <= t1; at += size) ticks.push(at)
  return ticks
}

function monthTicks (t0: number, t1: number, months: number): number[] {
  const start = new Date(t0)
  let index = start.getUTCFullYear() * 12 + start.getUTCMonth()
  index = Math.ceil(index / months) * months
  const ticks: number[] = []
  for (;; index += months) {
    const at = Date.UTC(Math.floor(index / 12), index % 12, 1)
    if (at < t0) continue
    if (at > t1) break
    ticks.push(at)
  }
  return ticks
}

function timeLabel (at: number, interval: Interval): string {
  const d = new Date(at)
  const day = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!}`
  if (interval.kind === 'month') {
    return interval.size >= 12 ? String(d.getUTCFullYear()) : `${MONTHS[d.getUTCMonth()]!} ${d.getUTCFullYear()}`
  }
  if (interval.size < DAY) return `${day} ${String(d.getUTCHours()).padStart(2, '0')}:00`
  return `${day} ${d.getUTCFullYear()}`
}

/** An ISO date (UTC) for descriptions and tooltips. */
export function isoDate (at: number): string {
  return new Date(at).toISOString().slice(0, 10)
}
