// A strict little XML parser for the tests: it rejects what a browser's XML parser rejects
// in our output (unbalanced or mismatched tags, duplicate attributes, a raw < or a bare &,
// characters XML 1.0 forbids) and returns a tree to query, with entities decoded.

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlNode[]
}

export type XmlNode = XmlElement | string

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/

export function parseXml (source: string): XmlElement {
  if (FORBIDDEN.test(source)) throw new Error('character not allowed in XML 1.0')
  let pos = 0
  const fail = (message: string): never => { throw new Error(`${message} at ${pos}: ${JSON.stringify(source.slice(pos, pos + 40))}`) }
  const skipSpace = (): void => { while (pos < source.length && /\s/.test(source[pos]!)) pos++ }
  const skipMisc = (): void => {
    for (;;) {
      skipSpace()
      if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos)
        if (end < 0) fail('unterminated processing instruction')
        pos = end + 2
      } else if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos)
        if (end < 0) fail('unterminated comment')
        pos = end + 3
      } else {
        return
      }
    }
  }
  const name = (): string => {
    const match = NAME.exec(source.slice(pos))
    if (!match) fail('expected a name')
    pos += match![0].length
    return match![0]
  }
  const element = (): XmlElement => {
    if (source[pos] !== '<') fail('expected <')
    pos++
    const tag = name()
    const attributes: Record<string, string> = {}
    for (;;) {
      const before = pos
      skipSpace()
      if (source.startsWith('/>', pos)) {
        pos += 2
        return { name: tag, attributes, children: [] }
      }
      if (source[pos] === '>') {
        pos++
        break
      }
      if (pos === before) fail('expected whitespace before an attribute')
      const key = name()
      skipSpace()
      if (source[pos] !== '=') fail('expected =')
      pos++
      skipSpace()
      const quote = source[pos]
      if (quote !== '"' && quote !== "'") fail('expected a quoted value')
      const end = source.indexOf(quote!, pos + 1)
      if (end < 0) fail('unterminated attribute')
      const raw = source.slice(pos + 1, end)
      if (raw.includes('<')) fail('raw < in an attribute')
      if (key in attributes) fail(`duplicate attribute ${key}`)
      attributes[key] = decode(raw, fail)
      pos = end + 1
    }
    const children: XmlNode[] = []
    for (;;) {
      if (pos >= source.length) fail(`unclosed <${tag}>`)
      if (source.startsWith('</', pos)) {
        pos += 2
        const closing = name()
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`)
        skipSpace()
        if (source[pos] !== '>') fail('expected >')
        pos++
        return { name: tag, attributes, children }
      }
      if (source.startsWith('<!--', pos)) {
        skipMisc()
      } else if (source[pos] === '<') {
        children.push(element())
      } else {
        const end = source.indexOf('<', pos)
        const raw = source.slice(pos, end < 0 ? source.length : end)
        if (raw.includes(']]>')) fail(']]> in text')
        children.push(decode(raw, fail))
        pos += raw.length
      }
    }
  }
  skipMisc()
  const root = element()
  skipMisc()
  if (pos !== source.length) fail('content after the root element')
  return root
}

function decode (raw: string, fail: (message: string) => never): string {
  return raw.replace(/&([^;&\s]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) fail(`bare & in ${JSON.stringify(raw)}`)
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
    if (body in named) return named[body]!
    const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body)
    if (numeric) return String.fromCodePoint(body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10))
    return fail(`unknown entity &${body};`)
  })
}

export function findAll (root: XmlElement, test: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = []
  const visit = (node: XmlElement): void => {
    if (test(node)) found.push(node)
    for (const child of node.children) if (typeof child !== 'string') visit(child)
  }
  visit(root)
  return found
}

export const byClass = (root: XmlElement, className: string): XmlElement[] =>
  findAll(root, (e) => (e.attributes.class ?? '').split(' ').includes(className))

export const byName = (root: XmlElement, name: string): XmlElement[] => findAll(root, (e) => e.name === name)

export function textContent (node: XmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textContent).join('')
}

export function num (element: XmlElement, attribute: string): number {
  const value = Number(element.attributes[attribute])
  if (!Number.isFinite(value)) throw new Error(`<${element.name}> ${attribute}=${element.attributes[attribute]} is not a number`)
  return value
}
