// How abilities are spread across a group: a histogram with the mean, the median and the
// interquartile range marked, so a teacher sees the centre and spread at a glance.

import { decimalsFor, linearScale, niceStep, niceTicks } from './scale.js'
import { MARGIN, axisTitles, plotArea, xAxis, yAxis } from './axes.js'
import { ChartInputError, THEME, el, emptyState, escapeXml, label, resolveSize, svgDocument, text } from './svg.js'

export interface DistributionMarkers {
  mean?: number
  median?: number
  q1?: number
  q3?: number
}

export interface AbilityDistributionChartInput {
  title: string
  values: readonly number[]
  /** Number of equal-width bars between the smallest and largest value; default Sturges' rule, 5 to 30. */
  bins?: number
  width?: number
  height?: number
  /** Summary lines drawn over the bars; computed from `values` when omitted, none when null. */
  markers?: DistributionMarkers | null
  /** The x axis' title (default "Ability (θ)"): a reporting scale's name when the values are its scores. */
  valueLabel?: string
}

export interface Histogram {
  lo: number
  hi: number
  counts: number[]
}

const COLORS = { bar: '#60a5fa', barStroke: '#2563eb', mean: '#dc2626', median: '#059669', iqr: '#fde68a', iqrStroke: '#d97706' } as const
const MAX_BINS = 200

/**
 * An SVG histogram of abilities with mean (solid), median (dashed) and the interquartile
 * range (shaded). Throws ChartInputError (code CHARTS_INVALID_INPUT) for a non-finite value,
 * a non-integer or out-of-range `bins`, or non-finite markers.
 */
export function abilityDistributionChart (input: AbilityDistributionChartInput): string {
  const size = resolveSize(input.width, input.height, { width: 640, height: 360 })
  input.values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ChartInputError(`values[${i}] must be finite, got ${v}`)
  })
  const values = [...input.values].sort((a, b) => a - b)
  const bins = input.bins ?? defaultBins(values.length)
  if (!(Number.isInteger(bins) && bins >= 1 && bins <= MAX_BINS)) {
    throw new ChartInputError(`bins must be an integer from 1 to ${MAX_BINS}, got ${bins}`)
  }
  if (values.length === 0) {
    return svgDocument({
      size,
      title: input.title,
      description: 'Distribution of abilities: no ability estimates to show yet.',
      body: emptyState(size, 'No ability estimates to show yet', 'The distribution appears once examinees have results.')
    })
  }
  const markers: DistributionMarkers = input.markers === null ? {} : { ...summarize(values), ...(input.markers ?? {}) }
  for (const [key, value] of Object.entries(markers)) {
    if (value !== undefined && !Number.isFinite(value)) throw new ChartInputError(`markers.${key} must be finite, got ${value}`)
  }

  const histogram = binValues(values, bins)
  // A strip above the bars holds the interquartile box, so bars never hide it.
  const area = plotArea(size, 20)
  const { left, right, top, bottom } = area
  const strip = MARGIN.top

  let lo = histogram.lo
  let hi = histogram.hi
  for (const v of Object.values(markers)) {
    if (v === undefined) continue
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  const x = linearScale(lo, hi, left, right)
  const maxCount = Math.max(...histogram.counts)
  const countStep = Math.max(1, niceStep(maxCount / Math.max(2, Math.min(6, Math.floor((bottom - top) / 40)))))
  const yMax = Math.ceil(maxCount / countStep) * countStep
  const countTicks = Array.from({ length: yMax / countStep + 1 }, (_, k) => k * countStep)
  const y = linearScale(0, yMax, bottom, top)

  const parts: string[] = [legend(markers)]
  parts.push(yAxis(area, countTicks.map((t) => ({ y: y(t), label: String(t) }))))

  if (markers.q1 !== undefined && markers.q3 !== undefined && markers.q3 >= markers.q1) {
    parts.push(el('rect', { class: 'iqr', x: x(markers.q1), y: strip + 3, width: x(markers.q3) - x(markers.q1), height: 10, fill: COLORS.iqr, stroke: COLORS.iqrStroke, 'stroke-width': 1 }))
  }

  const width = (histogram.hi - histogram.lo) / bins
  const bars = histogram.counts.map((count, i) => {
    const from = histogram.lo + i * width
    const to = i === bins - 1 ? histogram.hi : from + width
    const x0 = x(from)
    const x1 = x(to)
    const gap = Math.min(1, (x1 - x0) / 4)
    const tip = `${label(from)} to ${label(to)}: ${count} ${count === 1 ? 'examinee' : 'examinees'}`
    return el('rect', {
      class: 'bar',
      x: x0 + gap / 2,
      y: y(count),
      width: Math.max(0, x1 - x0 - gap),
      height: y(0) - y(count),
      fill: COLORS.bar,
      stroke: COLORS.barStroke,
      'stroke-width': count > 0 ? 1 : 0
    }, el('title', {}, escapeXml(tip)))
  })
  parts.push(el('g', { class: 'bars' }, bars.join('')))

  if (markers.median !== undefined) parts.push(markerLine('median', x(markers.median), strip, bottom, COLORS.median, '6 4'))
  if (markers.mean !== undefined) parts.push(markerLine('mean', x(markers.mean), strip, bottom, COLORS.mean, undefined))

  const xTicks = niceTicks(lo, hi, Math.max(2, Math.floor((right - left) / 70)))
  const step = xTicks.length > 1 ? xTicks[1]! - xTicks[0]! : 1
  parts.push(xAxis(area, xTicks.map((t) => ({ x: x(t), label: label(t, decimalsFor(step)) }))))
  parts.push(axisTitles(area, size.height, { x: input.valueLabel ?? 'Ability (\u03b8)', y: 'Examinees' }))

  return svgDocument({ size, title: input.title, description: describe(values.length, bins, histogram, markers), body: parts.join('') })
}

/**
 * Counts in `bins` equal-width bins over [min, max] (max falls in the last bin); all values
 * equal get the interval value +- 0.5. Exported so callers and tests see the same binning.
 */
export function binValues (values: readonly number[], bins: number): Histogram {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  if (values.length === 0) return { lo: 0, hi: 1, counts: new Array<number>(bins).fill(0) }
  if (hi === lo) {
    lo -= 0.5
    hi += 0.5
  }
  const counts = new Array<number>(bins).fill(0)
  const width = (hi - lo) / bins
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1
  return { lo, hi, counts }
}

/** Mean, median and quartiles (linear interpolation between order statistics, R's type 7). */
export function summarize (values: readonly number[]): Required<DistributionMarkers> {
  const sorted = [...values].sort((a, b) => a - b)
  const quantile = (p: number): number => {
    const h = (sorted.length - 1) * p
    const i = Math.floor(h)
    const below = sorted[i]!
    const above = sorted[Math.min(i + 1, sorted.length - 1)]!
    return below + (h - i) * (above - below)
  }
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length
  return { mean, median: quantile(0.5), q1: quantile(0.25), q3: quantile(0.75) }
}

function defaultBins (n: number): number {
  return Math.min(30, Math.max(5, Math.ceil(Math.log2(Math.max(1, n))) + 1))
}

function markerLine (kind: 'mean' | 'median', px: number, top: number, bottom: number, color: string, dash: string | undefined): string {
  return el('line', { class: `marker-${kind}`, x1: px, x2: px, y1: top, y2: bottom, stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash })
}

function legend (markers: DistributionMarkers): string {
  const items: string[] = []
  let x = 16
  const y = 48
  const add = (swatch: string, caption: string, width: number): void => {
    items.push(swatch, text(caption, { x: x + 24, y }))
    x += width
  }
  add(el('rect', { x, y: y - 11, width: 18, height: 14, fill: COLORS.bar, stroke: COLORS.barStroke }), 'Examinees', 110)
  if (markers.mean !== undefined) {
    add(el('line', { x1: x, x2: x + 18, y1: y - 4, y2: y - 4, stroke: COLORS.mean, 'stroke-width': 2 }), `Mean ${label(markers.mean)}`, 110)
  }
  if (markers.median !== undefined) {
    add(el('line', { x1: x, x2: x + 18, y1: y - 4, y2: y - 4, stroke: COLORS.median, 'stroke-width': 2, 'stroke-dasharray': '6 4' }), `Median ${label(markers.median)}`, 120)
  }
  if (markers.q1 !== undefined && markers.q3 !== undefined) {
    add(el('rect', { x, y: y - 9, width: 18, height: 10, fill: COLORS.iqr, stroke: COLORS.iqrStroke }), `Middle half ${label(markers.q1)} to ${label(markers.q3)}`, 0)
  }
  return el('g', { class: 'legend', 'font-size': 12, fill: THEME.text }, items.join(''))
}

function describe (n: number, bins: number, histogram: Histogram, markers: DistributionMarkers): string {
  const parts = [`Histogram of ${n} ${n === 1 ? 'ability' : 'abilities'} in ${bins} ${bins === 1 ? 'bin' : 'bins'} from ${label(histogram.lo)} to ${label(histogram.hi)}`]
  if (markers.mean !== undefined) parts.push(`mean ${label(markers.mean)}`)
  if (markers.median !== undefined) parts.push(`median ${label(markers.median)}`)
  if (markers.q1 !== undefined && markers.q3 !== undefined) parts.push(`middle half from ${label(markers.q1)} to ${label(markers.q3)}`)
  return `${parts.join('; ')}.`
}
