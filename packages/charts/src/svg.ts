// The SVG primitives every chart shares: escaping (titles come from users), number
// formatting that makes output byte-for-byte deterministic, the accessible document frame
// and the empty state.

export class ChartInputError extends RangeError {
  readonly code = 'CHARTS_INVALID_INPUT'

  constructor (message: string) {
    super(message)
    this.name = 'ChartInputError'
  }
}

export const THEME = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif',
  text: '#1f2937',
  muted: '#6b7280',
  grid: '#e5e7eb',
  axis: '#9ca3af',
  background: '#ffffff'
} as const

// Characters XML 1.0 forbids even when escaped: C0 controls other than tab, newline and
// carriage return, lone surrogates, U+FFFE and U+FFFF.
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Text or attribute value safe inside XML: & < > " ' escaped, forbidden characters dropped. */
export function escapeXml (text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** A coordinate with at most two decimals and no "-0", so output does not depend on float noise. */
export function fmt (value: number): string {
  const rounded = Math.round(value * 100) / 100
  return Object.is(rounded, -0) ? '0' : String(rounded)
}

/** A number for people to read: fixed decimals and a true minus sign. */
export function label (value: number, decimals = 2): string {
  const text = value.toFixed(decimals)
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text.replace('-', '\u2212')
}

export type Attributes = Record<string, string | number | undefined>

/** One element; attribute values are escaped, `children` must already be markup. */
export function el (name: string, attributes: Attributes, children?: string): string {
  let open = `<${name}`
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue
    open += ` ${key}="${typeof value === 'number' ? fmt(value) : escapeXml(value)}"`
  }
  return children === undefined ? `${open}/>` : `${open}>${children}</${name}>`
}

/** A text element whose content is escaped. */
export function text (content: string, attributes: Attributes): string {
  return el('text', attributes, escapeXml(content))
}

export interface Size {
  width: number
  height: number
}

export function resolveSize (width: number | undefined, height: number | undefined, fallback: Size): Size {
  const size = { width: width ?? fallback.width, height: height ?? fallback.height }
  if (!Number.isFinite(size.width) || !Number.isFinite(size.height) || size.width < 240 || size.height < 160) {
    throw new ChartInputError(`width and height must be finite and at least 240 x 160, got ${size.width} x ${size.height}`)
  }
  return { width: Math.round(size.width), height: Math.round(size.height) }
}

export interface Document {
  size: Size
  title: string
  description: string
  body: string
}

/**
 * The standalone SVG 1.1 document: viewBox for scaling, role="img" with <title> and <desc>
 * referenced by aria-labelledby. Ids come from a hash of the content so two charts on one
 * page do not collide and the same input always renders the same bytes.
 */
export function svgDocument ({ size, title, description, body }: Document): string {
  const id = `ds-chart-${hash(`${title}\u0000${description}\u0000${body}`)}`
  const { width, height } = size
  return el('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    version: '1.1',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    'font-family': THEME.font
  }, [
    el('title', { id: `${id}-title` }, escapeXml(title)),
    el('desc', { id: `${id}-desc` }, escapeXml(description)),
    el('rect', { x: 0, y: 0, width, height, fill: THEME.background }),
    heading(title, width),
    body
  ].join(''))
}

/** The visible title, shortened with an ellipsis to fit; <title> keeps the full text. */
function heading (title: string, width: number): string {
  const room = Math.max(8, Math.floor((width - 32) / 9))
  const chars = Array.from(title)
  const shown = chars.length > room ? `${chars.slice(0, room - 1).join('').trimEnd()}\u2026` : title
  return text(shown, { x: 16, y: 28, 'font-size': 16, 'font-weight': 'bold', fill: THEME.text })
}

/** The friendly panel shown instead of axes when there is nothing to plot. */
export function emptyState (size: Size, message: string, hint: string): string {
  const { width, height } = size
  const cx = width / 2
  const cy = (height + 40) / 2
  return el('g', { class: 'empty-state' }, [
    el('rect', { x: 16, y: 44, width: width - 32, height: height - 60, rx: 8, fill: '#f9fafb', stroke: THEME.grid, 'stroke-dasharray': '4 4' }),
    text(message, { x: cx, y: cy - 4, 'text-anchor': 'middle', 'font-size': 15, fill: THEME.text }),
    text(hint, { x: cx, y: cy + 18, 'text-anchor': 'middle', 'font-size': 12, fill: THEME.muted })
  ].join(''))
}

/** FNV-1a, 32 bits, as 8 hex digits. */
function hash (input: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}
