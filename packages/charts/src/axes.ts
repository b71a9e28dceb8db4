// The axes every chart draws the same way: a labelled grid for y, a baseline with tick marks and labels under
// the plot, and the two axis titles (the y one turned on its side), so both charts keep one look.
import { THEME, el, text, type Size } from './svg.js'

/** Where the plot area is, in pixels. */
export interface PlotArea { left: number, right: number, top: number, bottom: number }

/** Room around the plot for the title, the axes' labels and their titles, the same in every chart. */
export const MARGIN = { top: 66, right: 24, bottom: 58, left: 60 } as const

/** The plot area of a chart of this size (`extraTop`: room some charts keep above the plot). */
export function plotArea (size: Size, extraTop = 0): PlotArea {
  return { left: MARGIN.left, right: size.width - MARGIN.right, top: MARGIN.top + extraTop, bottom: size.height - MARGIN.bottom }
}

/** The y axis: a grid line across the plot and a label left of it at each `ticks` position (already in pixels). */
export function yAxis (area: PlotArea, ticks: ReadonlyArray<{ y: number, label: string }>): string {
  const { left, right } = area
  return el('g', { class: 'y-axis' }, [
    ...ticks.map((t) => el('line', { x1: left, x2: right, y1: t.y, y2: t.y, stroke: THEME.grid, 'stroke-width': 1 })),
    ...ticks.map((t) => text(t.label, { x: left - 8, y: t.y + 4, 'text-anchor': 'end', 'font-size': 12, fill: THEME.muted }))
  ].join(''))
}

/** The x axis: a line along the bottom, a tick and a label at each `ticks` position (already in pixels). */
export function xAxis (area: PlotArea, ticks: ReadonlyArray<{ x: number, label: string }>): string {
  const { left, right, bottom } = area
  return el('g', { class: 'x-axis' }, [
    el('line', { x1: left, x2: right, y1: bottom, y2: bottom, stroke: THEME.axis, 'stroke-width': 1 }),
    ...ticks.map((t) => el('line', { x1: t.x, x2: t.x, y1: bottom, y2: bottom + 5, stroke: THEME.axis, 'stroke-width': 1 })),
    ...ticks.map((t) => text(t.label, { x: t.x, y: bottom + 20, 'text-anchor': 'middle', 'font-size': 12, fill: THEME.muted }))
  ].join(''))
}

/** The titles of the x axis (under it) and the y axis (left of it, read bottom to top). */
export function axisTitles (area: PlotArea, height: number, titles: { x: string, y: string }): string {
  const { left, right, top, bottom } = area
  return [
    text(titles.x, { x: (left + right) / 2, y: height - 12, 'text-anchor': 'middle', 'font-size': 12, fill: THEME.text }),
    text(titles.y, {
      x: 16,
      y: (top + bottom) / 2,
      'text-anchor': 'middle',
      'font-size': 12,
      fill: THEME.text,
      transform: `rotate(-90 16 ${Math.round((top + bottom) / 2)})`
    })
  ].join('')
}
