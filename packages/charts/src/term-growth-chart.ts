// One student's score in a subject term by term: a point per term with a ±1 SE bar, joined by a line, so growth
// from term to term reads at a glance. Terms are categories (evenly spaced, in the order given), not a time
// axis: a school reads "Autumn, Spring", whatever their lengths. The values may be θ or a reporting scale's
// scores; the caller names the axis.

import { coveringTicks, decimalsFor, linearScale } from './scale.js'
import { axisTitles, plotArea, xAxis, yAxis } from './axes.js'
import { ChartInputError, THEME, el, emptyState, escapeXml, fmt, label, resolveSize, svgDocument, text } from './svg.js'

export interface TermPoint {
  term: string
  /** Null: no score in this term (the term is still shown, empty). */
  score: number | null
  se: number | null
}

export interface TermGrowthChartInput {
  title: string
  terms: readonly TermPoint[]
  /** The y axis' title, e.g. "Ability (θ)" or "Scale score". */
  valueLabel?: string
  /** Decimals of the numbers in labels (a scale's rounding). */
  decimals?: number
  width?: number
  height?: number
}

const COLORS = { line: '#2563eb', bar: '#1d4ed8' } as const

/**
 * An SVG chart of a score per term with ±1 SE bars. Throws ChartInputError (code CHARTS_INVALID_INPUT) for a
 * non-finite score, a negative or missing SE beside a score, or decimals outside 0..6.
 */
export function termGrowthChart (input: TermGrowthChartInput): string {
  const size = resolveSize(input.width, input.height, { width: 640, height: 360 })
  const decimals = input.decimals ?? 2
  if (!(Number.isInteger(decimals) && decimals >= 0 && decimals <= 6)) throw new ChartInputError(`decimals must be an integer from 0 to 6, got ${decimals}`)
  input.terms.forEach((p, i) => {
    if (p.score === null) return
    if (!Number.isFinite(p.score)) throw new ChartInputError(`terms[${i}].score must be finite, got ${p.score}`)
    if (p.se === null || !(Number.isFinite(p.se) && p.se >= 0)) throw new ChartInputError(`terms[${i}].se must be finite and >= 0 beside a score, got ${p.se}`)
  })
  const scored = input.terms.filter((p) => p.score !== null) as Array<{ term: string, score: number, se: number }>
  if (scored.length === 0) {
    return svgDocument({
      size,
      title: input.title,
      description: 'Score per term: no scores in any term yet.',
      body: emptyState(size, 'No scores in any term yet', 'A term shows a score once a session in it is completed.')
    })
  }
  const area = plotArea(size)
  const { left, right, top, bottom } = area
  const slot = (right - left) / input.terms.length
  const x = (i: number): number => left + slot * (i + 0.5)

  let lo = Math.min(...scored.map((p) => p.score - p.se))
  let hi = Math.max(...scored.map((p) => p.score + p.se))
  const pad = hi - lo > 0 ? (hi - lo) * 0.1 : Math.max(1, Math.abs(hi) * 0.05)
  const { ticks, step } = coveringTicks(lo - pad, hi + pad, Math.max(3, Math.floor((bottom - top) / 32)))
  lo = ticks[0]!
  hi = ticks[ticks.length - 1]!
  const y = linearScale(lo, hi, bottom, top)

  const parts: string[] = [legend()]
  parts.push(yAxis(area, ticks.map((t) => ({ y: y(t), label: label(t, decimalsFor(step)) }))))
  parts.push(xAxis(area, input.terms.map((p, i) => ({ x: x(i), label: p.term }))))
  parts.push(axisTitles(area, size.height, { x: 'Term', y: input.valueLabel ?? 'Ability (\u03b8)' }))

  const positions = input.terms.flatMap((p, i) => p.score === null ? [] : [{ i, score: p.score, se: p.se!, term: p.term }])
  if (positions.length > 1) {
    const d = positions.map((p, k) => `${k === 0 ? 'M' : 'L'}${fmt(x(p.i))},${fmt(y(p.score))}`).join(' ')
    parts.push(el('path', { class: 'line', d, fill: 'none', stroke: COLORS.line, 'stroke-width': 2, 'stroke-linejoin': 'round' }))
  }
  parts.push(el('g', { class: 'error-bars', stroke: COLORS.bar, 'stroke-width': 1.5 }, positions.map((p) => {
    const cx = x(p.i)
    const y1 = y(p.score + p.se)
    const y2 = y(p.score - p.se)
    return el('g', { class: 'error-bar' }, [
      el('line', { x1: cx, x2: cx, y1, y2 }),
      el('line', { x1: cx - 6, x2: cx + 6, y1, y2: y1 }),
      el('line', { x1: cx - 6, x2: cx + 6, y1: y2, y2 })
    ].join(''))
  }).join('')))
  parts.push(el('g', { class: 'points' }, positions.map((p) => el('circle', {
    class: 'point', cx: x(p.i), cy: y(p.score), r: 4, fill: '#ffffff', stroke: COLORS.line, 'stroke-width': 2
  }, el('title', {}, escapeXml(`${p.term}: ${label(p.score, decimals)} \u00b1 ${label(p.se, decimals)} (1 SE)`)))).join('')))
  parts.push(el('g', { class: 'point-labels' }, positions.map((p) =>
    text(label(p.score, decimals), { x: x(p.i) + 8, y: y(p.score) - 8, 'font-size': 11, fill: THEME.text })).join('')))

  return svgDocument({ size, title: input.title, description: describe(input.terms, positions, decimals), body: parts.join('') })
}

function describe (terms: readonly TermPoint[], positions: Array<{ term: string, score: number, se: number }>, decimals: number): string {
  const each = positions.map((p) => `${p.term} ${label(p.score, decimals)} \u00b1 ${label(p.se, decimals)}`).join(', ')
  const empty = terms.length - positions.length
  const change = positions.length > 1 ? `; a change of ${signed(positions[positions.length - 1]!.score - positions[0]!.score, decimals)} from ${positions[0]!.term} to ${positions[positions.length - 1]!.term}` : ''
  return `Score per term (\u00b1 1 SE): ${each}${empty > 0 ? `; ${empty} ${empty === 1 ? 'term' : 'terms'} without a score` : ''}${change}.`
}

function signed (value: number, decimals: number): string {
  return value > 0 ? `+${label(value, decimals)}` : label(value, decimals)
}

function legend (): string {
  const x = 16
  const y = 48
  return el('g', { class: 'legend', 'font-size': 12, fill: THEME.text }, [
    el('line', { x1: x + 9, x2: x + 9, y1: y - 11, y2: y + 3, stroke: COLORS.bar, 'stroke-width': 1.5 }),
    el('circle', { cx: x + 9, cy: y - 4, r: 3, fill: '#ffffff', stroke: COLORS.line, 'stroke-width': 2 }),
    text('Score in the term, \u00b1 1 standard error', { x: x + 24, y })
  ].join(''))
}
