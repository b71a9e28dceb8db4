// Our fields that QTI has no place for (subject, topics, status, enemies, IRT parameters, and the ref when it
// is not a valid QTI identifier) travel in the manifest: IMS Content Packaging lets a resource's <metadata>
// hold elements of other namespaces, so each item resource carries one <ds:item> in our own namespace, and
// each stimulus resource one <ds:passage>. Other tools skip them; a package without them still imports.
import { QtiRefusal } from './limits.js'
import { ITEM_STATUSES, type ItemLine, type ItemStatus, type PolytomousIrt } from './lines.js'
import { child, childElements, escapeAttr, escapeText, textOf, type XmlElement } from './xml.js'

export const DS_NS = 'urn:dreamseed:xsd:qti-metadata:v1'

export interface ItemMetadata {
  ref?: string
  subject?: string
  topics?: string[]
  status?: ItemStatus
  enemies?: string[]
  dichotomous?: { a?: number, b?: number, c?: number, d?: number }
  irt?: PolytomousIrt
}

export function writeItemMetadata (line: ItemLine): string {
  let s = `<ds:item xmlns:ds="${DS_NS}">`
  s += `<ds:ref>${escapeText(line.ref)}</ds:ref>`
  s += `<ds:subject>${escapeText(line.subject)}</ds:subject>`
  if (line.topics !== undefined) s += `<ds:topics>${line.topics.map((t) => `<ds:topic>${escapeText(t)}</ds:topic>`).join('')}</ds:topics>`
  if (line.status !== undefined) s += `<ds:status>${escapeText(line.status)}</ds:status>`
  if (line.enemies !== undefined) s += `<ds:enemies>${line.enemies.map((e) => `<ds:enemy>${escapeText(e)}</ds:enemy>`).join('')}</ds:enemies>`
  if (line.irt !== undefined) {
    const irt = line.irt as Record<string, unknown>
    s += `<ds:irt model="${escapeAttr(line.irt.model)}"`
    for (const k of ['a', 'lambda', 'b', 'delta']) {
      const v = irt[k]
      if (v !== undefined) s += ` ${k}="${Array.isArray(v) ? v.map(num).join(' ') : num(v as number)}"`
    }
    s += '/>'
  } else if (line.b !== undefined || line.a !== undefined || line.c !== undefined || line.d !== undefined) {
    s += '<ds:irt'
    for (const k of ['a', 'b', 'c', 'd'] as const) if (line[k] !== undefined) s += ` ${k}="${num(line[k])}"`
    s += '/>'
  }
  return `${s}</ds:item>`
}

export function writePassageMetadata (ref: string): string {
  return `<ds:passage xmlns:ds="${DS_NS}"><ds:ref>${escapeText(ref)}</ds:ref></ds:passage>`
}

export function readPassageRef (metadata: XmlElement | undefined): string | undefined {
  const el = metadata === undefined ? undefined : child(metadata, 'passage', DS_NS)
  const ref = el === undefined ? undefined : child(el, 'ref', DS_NS)
  return ref === undefined ? undefined : textOf(ref)
}

/** The <ds:item> of a resource's metadata, or undefined when there is none (a package written elsewhere). */
export function readItemMetadata (metadata: XmlElement | undefined, path: string): ItemMetadata | undefined {
  const el = metadata === undefined ? undefined : child(metadata, 'item', DS_NS)
  if (el === undefined) return undefined
  const bad = (message: string): never => { throw new QtiRefusal('EXAM_QTI_METADATA', `Item metadata: ${message}`, path) }
  const text = (name: string): string | undefined => {
    const e = child(el, name, DS_NS)
    return e === undefined ? undefined : textOf(e)
  }
  const list = (outer: string, inner: string): string[] | undefined => {
    const e = child(el, outer, DS_NS)
    return e === undefined ? undefined : childElements(e, inner, DS_NS).map(textOf)
  }
  const out: ItemMetadata = {}
  const ref = text('ref')
  if (ref !== undefined) out.ref = ref
  const subject = text('subject')
  if (subject !== undefined) out.subject = subject
  const topics = list('topics', 'topic')
  if (topics !== undefined) out.topics = topics
  const status = text('status')
  if (status !== undefined) {
    if (!(ITEM_STATUSES as readonly string[]).includes(status)) bad(`unknown status "${status}"`)
    out.status = status as ItemStatus
  }
  const enemies = list('enemies', 'enemy')
  if (enemies !== undefined) out.enemies = enemies
  const irt = child(el, 'irt', DS_NS)
  if (irt !== undefined) {
    const n = (k: string): number | undefined => {
      const v = irt.attrs[k]
      if (v === undefined) return undefined
      const x = parseNumber(v)
      return x === undefined ? bad(`irt ${k} is not a number`) : x
    }
    const ns = (k: string): number[] => {
      const v = irt.attrs[k]
      if (v === undefined) return bad(`irt ${k} is missing`)
      const xs = v.trim() === '' ? [] : v.trim().split(/\s+/).map(parseNumber)
      return xs.some((x) => x === undefined) ? bad(`irt ${k} is not a list of numbers`) : xs as number[]
    }
    const required = (k: string): number => n(k) ?? bad(`irt ${k} is missing`)
    const model = irt.attrs.model
    if (model === undefined) {
      const d: NonNullable<ItemMetadata['dichotomous']> = {}
      for (const k of ['a', 'b', 'c', 'd'] as const) { const v = n(k); if (v !== undefined) d[k] = v }
      out.dichotomous = d
    } else if (model === 'GRM') out.irt = { model, a: required('a'), b: ns('b') }
    else if (model === 'GPCM') out.irt = { model, a: required('a'), delta: ns('delta') }
    else if (model === 'PCM') out.irt = { model, delta: ns('delta') }
    else if (model === 'RSM') out.irt = { model, lambda: required('lambda'), delta: ns('delta') }
    else bad(`unknown irt model "${model}"`)
  }
  return out
}

export function num (n: number): string { return String(n) }
export function parseNumber (s: string): number | undefined {
  const t = s.trim()
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined
  const x = Number(t)
  return Number.isFinite(x) ? x : undefined
}
