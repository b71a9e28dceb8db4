// XML in and out for QTI files. Reading is saxes (a streaming, non-validating parser: no DTD processing, no
// entity expansion beyond the five predefined ones) under hard limits on depth, elements, attributes and text,
// into a small tree; a file declaring a DOCTYPE or an ENTITY is refused before it is parsed. Writing escapes
// every text and attribute value, and serialises a subtree back to canonical XHTML (stems, options, stimuli).
import { SaxesParser } from 'saxes'
import { QtiRefusal, type QtiLimits } from './limits.js'

export const QTI_NS = 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0'
export const XML_NS = 'http://www.w3.org/XML/1998/namespace'
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'

export interface XmlElement {
  /** Local name. */
  name: string
  /** Namespace URI ('' for none). */
  ns: string
  /** Unprefixed attributes by local name; xml:* attributes as 'xml:local'; other namespaced attributes are dropped. */
  attrs: Record<string, string>
  children: XmlNode[]
}
export type XmlNode = XmlElement | string

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Bytes of a file to text: UTF-8 only (a BOM is allowed), and an XML declaration must not say otherwise. */
export function decodeXmlBytes (bytes: Uint8Array, path: string): string {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new QtiRefusal('EXAM_QTI_ENCODING', 'The file is UTF-16; only UTF-8 is read', path)
  }
  let text: string
  try { text = utf8.decode(bytes) } catch {
    throw new QtiRefusal('EXAM_QTI_ENCODING', 'The file is not valid UTF-8', path)
  }
  const declared = /^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text.slice(0, 200))?.[1]
  if (declared !== undefined && !/^utf-?8$/i.test(declared)) {
    throw new QtiRefusal('EXAM_QTI_ENCODING', `The file declares encoding ${declared}; only UTF-8 is read`, path)
  }
  return text
}

/**
 * The document's root element. Every limit is enforced as the parser goes (a handler throws, which stops
 * saxes at once), so the work done on a hostile file is bounded by the limits, not by the file.
 */
export function parseXml (text: string, path: string, limits: QtiLimits): XmlElement {
  // A DTD is never needed by QTI; refusing it up front means no entity can be declared, expanded or fetched.
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new QtiRefusal('EXAM_QTI_XML_DOCTYPE', 'DOCTYPE and ENTITY declarations are refused', path)
  }
  const parser = new SaxesParser({ xmlns: true, position: false })
  const root: XmlElement = { name: '#root', ns: '', attrs: {}, children: [] }
  const stack: XmlElement[] = [root]
  let elements = 0
  let attributes = 0
  let onElement = 0
  const refuse = (code: string, message: string): never => { throw new QtiRefusal(code, message, path) }
  const checkText = (t: string): void => {
    if (t.length > limits.maxTextChars) refuse('EXAM_QTI_XML_TEXT', `A text passes ${limits.maxTextChars} characters`)
  }
  parser.on('opentagstart', () => {
    if (++elements > limits.maxElements) refuse('EXAM_QTI_XML_ELEMENTS', `The file has more than ${limits.maxElements} elements`)
    if (stack.length > limits.maxDepth) refuse('EXAM_QTI_XML_DEPTH', `Elements nest deeper than ${limits.maxDepth}`)
    onElement = 0
  })
  parser.on('attribute', (a) => {
    if (++attributes > limits.maxAttributes) refuse('EXAM_QTI_XML_ATTRIBUTES', `The file has more than ${limits.maxAttributes} attributes`)
    if (++onElement > limits.maxAttributesPerElement) refuse('EXAM_QTI_XML_ATTRIBUTES', `An element has more than ${limits.maxAttributesPerElement} attributes`)
    checkText(a.value)
  })
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {}
    for (const a of Object.values(tag.attributes)) {
      if (a.uri === XMLNS_NS || a.prefix === 'xmlns' || a.name === 'xmlns') continue
      if (a.uri === '' || a.uri === undefined) attrs[a.local] = a.value
      else if (a.uri === XML_NS) attrs[`xml:${a.local}`] = a.value
    }
    const el: XmlElement = { name: tag.local, ns: tag.uri ?? '', attrs, children: [] }
    stack[stack.length - 1]!.children.push(el)
    stack.push(el)
  })
  parser.on('closetag', () => { stack.pop() })
  const onText = (t: string): void => {
    checkText(t)
    if (stack.length > 1) stack[stack.length - 1]!.children.push(t)
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  try {
    parser.write(text).close()
  } catch (err) {
    if (err instanceof QtiRefusal) throw err
    refuse('EXAM_QTI_XML_SYNTAX', `The file is not well-formed XML: ${(err as Error).message}`)
  }
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string')
  if (top === undefined) refuse('EXAM_QTI_XML_SYNTAX', 'The file has no root element')
  return top!
}

export function escapeText (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
export function escapeAttr (s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')
}

export function childElements (el: XmlElement, name?: string, ns = QTI_NS): XmlElement[] {
  const out: XmlElement[] = []
  for (const c of el.children) if (typeof c !== 'string' && (name === undefined || (c.name === name && c.ns === ns))) out.push(c)
  return out
}
export function child (el: XmlElement, name: string, ns = QTI_NS): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && c.name === name && c.ns === ns) return c
  return undefined
}
/** Every descendant element, depth first (iterative: depth is already limited, but recursion is not needed). */
export function descendants (el: XmlElement): XmlElement[] {
  const out: XmlElement[] = []
  const todo: XmlElement[] = [el]
  while (todo.length > 0) {
    const e = todo.pop()!
    for (let i = e.children.length - 1; i >= 0; i--) {
      const c = e.children[i]!
      if (typeof c !== 'string') { out.push(c); todo.push(c) }
    }
  }
  return out
}
export function textOf (el: XmlElement): string {
  let s = ''
  for (const c of el.children) s += typeof c === 'string' ? c : textOf(c)
  return s
}

/** Children as XHTML, elements in the QTI namespace written without prefix, any other namespace declared where it starts. */
export function serializeChildren (nodes: XmlNode[], contextNs = QTI_NS): string {
  let s = ''
  for (const n of nodes) s += typeof n === 'string' ? escapeText(n) : serializeElement(n, contextNs)
  return s
}
function serializeElement (el: XmlElement, contextNs: string): string {
  let s = `<${el.name}`
  if (el.ns !== contextNs) s += ` xmlns="${escapeAttr(el.ns)}"`
  for (const [k, v] of Object.entries(el.attrs)) s += ` ${k}="${escapeAttr(v)}"`
  if (el.children.length === 0) return `${s}/>`
  return `${s}>${serializeChildren(el.children, el.ns)}</${el.name}>`
}
