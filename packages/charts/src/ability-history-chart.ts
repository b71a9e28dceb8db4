// One examinee's ability over time: the estimates as a line with their 95% interval
// (value +- 1.96 SE) as a band, on an axis that always shows at least -3..3 of theta (or that range
// carried onto a reporting scale) so a reader can see where on the scale the examinee stands.

import { coveringTicks, decimalsFor, isoDate, linearScale, timeTicks } from './scale.js'
import { axisTitles, plotArea, xAxis, yAxis } from './axes.js'
import { ChartInputError, THEME, el, emptyState, escapeXml, fmt, label, resolveSize, svgDocument, text } from './svg.js'

export interface AbilityPoint {
  at: Date | string
  theta: number
  se: number
  label?: string
}

export interface AbilityHistoryChartInput {
  title: string
  /** `theta` and `se` are in the chart's units: θ, or a reporting scale's scores and their SE. */
  points: readonly AbilityPoint[]
  width?: number
  height?: number
  /** The units when they are a reporting scale's rather than θ. */
  scale?: ValueScale
}

/** A reporting scale as the chart needs it: names, and θ's ranges carried onto it. */
export interface ValueScale {
  /** The y axis' title, e.g. "Scale score". */
  axisLabel: string
  /** The value's name in tooltips and the description, e.g. "score". */
  name: string
  /** Always shown, as θ's -3..3 is (that range on the scale). */
  shown: readonly [number, number]
  /** Band edges are cut off beyond these, as θ's at ±6. */
  bandLimits: readonly [number, number]
  /** Decimals of the scale's scores (0..6). */
  decimals: number
}

const THETA: ValueScale = { axisLabel: 'Ability (\u03b8)', name: '\u03b8', shown: [-3, 3], bandLimits: [-6, 6], decimals: 2 }

const Z95 = 1.96
const COLORS = { line: '#2563eb', band: '#93c5fd', zero: '#9ca3af' } as const
/** Point labels are drawn only on sparse charts; tooltips always carry them. */
const MAX_LABELLED_POINTS = 12

interface Point {
  at: number
  theta: number
  se: number
  label: string | undefined
}

/**
 * An SVG line chart of ability over time with a 95% band (a bar for a single estimate).
 * Points are sorted by time; dates are shown in UTC. Throws ChartInputError
 * (code CHARTS_INVALID_INPUT) for an unparseable date, a non-finite theta or a negative SE.
 */
export function abilityHistoryChart (input: AbilityHistoryChartInput): string {
  const size = resolveSize(input.width, input.height, { width: 640, height: 360 })
  const units = checkScale(input.scale ?? THETA)
  const points = normalize(input.points)
  if (points.length === 0) {
    return svgDocument({
      size,
      title: input.title,
      description: 'Ability over time: no ability estimates yet.',
      body: emptyState(size, 'No ability estimates yet', 'Results appear here after the first completed exam.')
    })
  }

  const area = plotArea(size)
  const { left, right, top, bottom } = area

  const first = points[0]!
  const last = points[points.length - 1]!
  // One day's worth of estimates keeps hour ticks; a lone estimate gets a week of context.
  const pad = last.at === first.at ? 3 * 86_400_000 : Math.max((last.at - first.at) * 0.04, 3_600_000)
  const x = linearScale(first.at - pad, last.at + pad, left, right)

  let [lo, hi] = units.shown
  const [bandLo, bandHi] = units.bandLimits
  for (const p of points) {
    lo = Math.min(lo, p.theta, Math.max(p.theta - Z95 * p.se, bandLo))
    hi = Math.max(hi, p.theta, Math.min(p.theta + Z95 * p.se, bandHi))
  }
  // Steps of 1, 2 or 5 (never 2.5): theta axes read best in whole or half units, and scale scores alike.
  const { ticks, step } = coveringTicks(lo, hi, Math.max(3, Math.floor((bottom - top) / 32)), [1, 2, 5, 10])
  lo = ticks[0]!
  hi = ticks[ticks.length - 1]!
  const y = linearScale(lo, hi, bottom, top)
  const clampTheta = (v: number): number => Math.min(hi, Math.max(lo, v))

  const parts: string[] = []
  parts.push(legend(units))

  parts.push(yAxis(area, ticks.map((t) => ({ y: y(t), label: label(t, decimalsFor(step)) }))))
  if (units === THETA && lo < 0 && hi > 0) {
    parts.push(el('line', { class: 'zero-line', x1: left, x2: right, y1: y(0), y2: y(0), stroke: COLORS.zero, 'stroke-dasharray': '4 3', 'stroke-width': 1 }))
  }

  const xTicks = timeTicks(first.at - pad, last.at + pad, Math.max(2, Math.floor((right - left) / 110)))
  parts.push(xAxis(area, xTicks.map((t) => ({ x: x(t.at), label: t.label }))))
  parts.push(axisTitles(area, size.height, { x: 'Date (UTC)', y: units.axisLabel }))

  if (points.length > 1) {
    const upper = points.map((p) => `${fmtPair(x(p.at), y(clampTheta(p.theta + Z95 * p.se)))}`)
    const lower = points.map((p) => `${fmtPair(x(p.at), y(clampTheta(p.theta - Z95 * p.se)))}`).reverse()
    parts.push(el('polygon', { class: 'band', points: [...upper, ...lower].join(' '), fill: COLORS.band, 'fill-opacity': 0.45, stroke: 'none' }))
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fmtPair(x(p.at), y(p.theta))}`).join(' ')
    parts.push(el('path', { class: 'line', d, fill: 'none', stroke: COLORS.line, 'stroke-width': 2, 'stroke-linejoin': 'round' }))
  } else {
    const p = first
    const cx = x(p.at)
    const y1 = y(clampTheta(p.theta + Z95 * p.se))
    const y2 = y(clampTheta(p.theta - Z95 * p.se))
    parts.push(el('g', { class: 'error-bar', stroke: COLORS.line, 'stroke-width': 2 }, [
      el('line', { x1: cx, x2: cx, y1, y2 }),
      el('line', { x1: cx - 6, x2: cx + 6, y1, y2: y1 }),
      el('line', { x1: cx - 6, x2: cx + 6, y1: y2, y2 })
    ].join('')))
  }

  const markers = points.map((p) => el('circle', {
    class: 'point',
    cx: x(p.at),
    cy: y(p.theta),
    r: 4,
    fill: '#ffffff',
    stroke: COLORS.line,
    'stroke-width': 2
  }, el('title', {}, escapeTooltip(p, units))))
  parts.push(el('g', { class: 'points' }, markers.join('')))

  const labelled = points.filter((p) => p.label !== undefined && p.label !== '')
  if (labelled.length > 0 && points.length <= MAX_LABELLED_POINTS) {
    parts.push(el('g', { class: 'point-labels' }, labelled.map((p) =>
      text(p.label!, { x: x(p.at), y: y(p.theta) - 10, 'text-anchor': 'middle', 'font-size': 11, fill: THEME.text })
    ).join('')))
  }

  return svgDocument({ size, title: input.title, description: describe(points, units), body: parts.join('') })
}

function normalize (points: readonly AbilityPoint[]): Point[] {
  const out = points.map((p, i) => {
    const at = p.at instanceof Date ? p.at.getTime() : Date.parse(p.at)
    if (!Number.isFinite(at)) throw new ChartInputError(`points[${i}].at is not a valid date: ${String(p.at)}`)
    if (!Number.isFinite(p.theta)) throw new ChartInputError(`points[${i}].theta must be finite, got ${p.theta}`)
    if (!(Number.isFinite(p.se) && p.se >= 0)) throw new ChartInputError(`points[${i}].se must be finite and >= 0, got ${p.se}`)
    return { at, theta: p.theta, se: p.se, label: p.label, index: i }
  })
  out.sort((a, b) => a.at - b.at || a.index - b.index)
  return out.map(({ at, theta, se, label }) => ({ at, theta, se, label }))
}

function checkScale (scale: ValueScale): ValueScale {
  const finite = [...scale.shown, ...scale.bandLimits].every(Number.isFinite)
  if (!finite || !(scale.shown[0] < scale.shown[1]) || !(scale.bandLimits[0] < scale.bandLimits[1])) {
    throw new ChartInputError('scale ranges must be finite and increasing')
  }
  if (!(Number.isInteger(scale.decimals) && scale.decimals >= 0 && scale.decimals <= 6)) throw new ChartInputError(`scale.decimals must be an integer from 0 to 6, got ${scale.decimals}`)
  return scale
}

function interval (p: Point, units: ValueScale): string {
  return `${label(p.theta - Z95 * p.se, units.decimals)} to ${label(p.theta + Z95 * p.se, units.decimals)}`
}

function escapeTooltip (p: Point, units: ValueScale): string {
  const prefix = p.label ? `${p.label}, ` : ''
  return escapeXml(`${prefix}${isoDate(p.at)}: ${units.name} = ${label(p.theta, units.decimals)} (95% interval ${interval(p, units)})`)
}

function describe (points: Point[], units: ValueScale): string {
  const first = points[0]!
  const last = points[points.length - 1]!
  const count = points.length === 1 ? '1 ability estimate' : `${points.length} ability estimates`
  const range = points.length === 1 ? `on ${isoDate(first.at)}` : `from ${isoDate(first.at)} to ${isoDate(last.at)}`
  const latest = `latest ${units.name} = ${label(last.theta, units.decimals)} (95% interval ${interval(last, units)})`
  const change = points.length > 1 ? `, a change of ${signed(last.theta - first.theta, units.decimals)} since the first` : ''
  return `Ability over time: ${count} ${range}; ${latest}${change}.`
}

function signed (value: number, decimals: number): string {
  return value > 0 ? `+${label(value, decimals)}` : label(value, decimals)
}

function fmtPair (px: number, py: number): string {
  return `${fmt(px)},${fmt(py)}`
}

/** Under the title, so a long title never runs into it. */
function legend (units: ValueScale): string {
  const x = 16
  const y = 48
  return el('g', { class: 'legend', 'font-size': 12, fill: THEME.text }, [
    el('line', { x1: x, x2: x + 18, y1: y - 4, y2: y - 4, stroke: COLORS.line, 'stroke-width': 2 }),
    el('circle', { cx: x + 9, cy: y - 4, r: 3, fill: '#ffffff', stroke: COLORS.line, 'stroke-width': 2 }),
    text('Ability estimate', { x: x + 24, y }),
    el('rect', { x: x + 130, y: y - 11, width: 18, height: 14, fill: COLORS.band, 'fill-opacity': 0.45 }),
    text(`95% interval (${units.name} \u00b1 1.96 SE)`, { x: x + 154, y })
  ].join(''))
}
