// Stems, options and stimuli are strings that hold plain text or simple XHTML. In a package they become
// element content: XHTML that survives parse-and-serialise unchanged is written as markup, anything else
// as escaped text; reading gives back the text when the content has no element, else the canonical XHTML.
// So a string round-trips exactly (after trimming), whichever of the two it is.
import { QTI_NS, descendants, escapeText, parseXml, serializeChildren, type XmlNode } from './xml.js'
import { DEFAULT_QTI_LIMITS } from './limits.js'

export function encodeRich (s: string): string {
  if (!s.includes('<')) return escapeText(s)
  try {
    const wrapper = parseXml(`<div xmlns="${QTI_NS}">${s}</div>`, 'text', DEFAULT_QTI_LIMITS)
    // Markup naming QTI elements would be read back as part of the item (a second interaction): keep it text.
    const qti = descendants(wrapper).some((e) => e.name.startsWith('qti-'))
    if (!qti && serializeChildren(wrapper.children) === s) return s
  } catch {
    // not well-formed: it is text that happens to hold '<'
  }
  return escapeText(s)
}

export function decodeRich (nodes: XmlNode[]): string {
  if (nodes.every((n) => typeof n === 'string')) return (nodes as string[]).join('').trim()
  return serializeChildren(nodes).trim()
}

/** Content that is nothing but whitespace (what is left of a wrapper once the interaction is taken out). */
export function isBlank (nodes: XmlNode[]): boolean {
  return nodes.every((n) => typeof n === 'string' && n.trim() === '')
}
