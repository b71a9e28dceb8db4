// A QTI 3.0 content package (zip) to import lines: the manifest names the items, each item may refer to one
// stimulus (a passage), and our metadata, when present, fills in what QTI does not carry. Every failure
// becomes a problem naming the file; lines are returned only when there is none, so nothing is half-imported.
import { DEFAULT_QTI_LIMITS, PACKAGE_PATH, QtiRefusal, type QtiLimits, type QtiProblem } from './limits.js'
import { LINE_LIMITS, type ItemLine, type PassageLine } from './lines.js'
import { readItemMetadata, readPassageRef } from './metadata.js'
import { readItem } from './read-item.js'
import { decodeRich, isBlank } from './rich-text.js'
import { QTI_NS, child, childElements, decodeXmlBytes, parseXml, type XmlElement } from './xml.js'
import { ZipReader } from './zip-reader.js'

export type QtiReadOptions = Partial<QtiLimits> & {
  /** Subject of items whose package does not carry our metadata. */
  subject?: string
}

export interface QtiReadResult {
  /** Passage lines first (in the order items first refer to them), then item lines in manifest order. */
  lines: Array<PassageLine | ItemLine>
  problems: QtiProblem[]
}

const MANIFEST = 'imsmanifest.xml'
const ITEM_TYPE = 'imsqti_item_xmlv3p0'
const STIMULUS_TYPE = 'imsqti_stimulus_xmlv3p0'

interface Resource {
  identifier: string
  type: string
  href: string | undefined
  files: string[]
  metadata: XmlElement | undefined
}

export function readQtiPackage (zip: Uint8Array, options: QtiReadOptions = {}): QtiReadResult {
  const limits: QtiLimits = { ...DEFAULT_QTI_LIMITS }
  for (const k of Object.keys(DEFAULT_QTI_LIMITS) as Array<keyof QtiLimits>) if (typeof options[k] === 'number') limits[k] = options[k]
  const reader = new PackageReader(zip, limits, options.subject)
  try {
    reader.read()
  } catch (err) {
    if (!(err instanceof QtiRefusal)) throw err
    if (err.code !== STOP) reader.problem(err)
  }
  const problems = reader.problems.slice(0, limits.maxProblems)
  return { lines: problems.length > 0 ? [] : [...reader.passages, ...reader.items], problems }
}

const STOP = 'stop'

class PackageReader {
  readonly problems: QtiProblem[] = []
  readonly items: ItemLine[] = []
  readonly passages: PassageLine[] = []
  private zip!: ZipReader
  private readonly byIdentifier = new Map<string, Resource>()
  private readonly byPath = new Map<string, Resource>()
  /** Stimulus file path to its passage ref, or null when it was refused. */
  private readonly stimuli = new Map<string, string | null>()
  private readonly passageRefs = new Map<string, string>()
  private readonly itemRefs = new Set<string>()

  constructor (private readonly bytes: Uint8Array, private readonly limits: QtiLimits, private readonly subject: string | undefined) {}

  problem (err: QtiRefusal, path = PACKAGE_PATH): void {
    this.problems.push({ path: err.path !== '' ? err.path : path, code: err.code, message: err.message })
    if (this.problems.length >= this.limits.maxProblems) throw new QtiRefusal(STOP, 'too many problems')
  }

  read (): void {
    this.zip = new ZipReader(this.bytes, this.limits)
    if (!this.zip.has(MANIFEST)) throw new QtiRefusal('EXAM_QTI_NO_MANIFEST', 'The package has no imsmanifest.xml at its root', MANIFEST)
    const manifest = parseXml(decodeXmlBytes(this.zip.read(MANIFEST), MANIFEST), MANIFEST, this.limits)
    if (manifest.name !== 'manifest') throw new QtiRefusal('EXAM_QTI_NO_MANIFEST', 'imsmanifest.xml is not an IMS content package manifest', MANIFEST)
    const resources = this.readResources(manifest)
    const items = resources.filter((r) => r.type.startsWith('imsqti_item_xml'))
    if (items.length === 0 && this.problems.length === 0) this.problem(new QtiRefusal('EXAM_QTI_NO_ITEMS', 'The manifest lists no QTI item', MANIFEST))
    for (const r of items) {
      try {
        this.readItemResource(r)
      } catch (err) {
        if (!(err instanceof QtiRefusal) || err.code === STOP) throw err
        this.problem(err, r.href ?? r.identifier)
      }
    }
    for (const r of resources) {
      if (r.type !== STIMULUS_TYPE || r.href === undefined || this.stimuli.has(r.href)) continue
      try { this.readStimulus(r.href) } catch (err) {
        if (!(err instanceof QtiRefusal) || err.code === STOP) throw err
        this.problem(err, r.href)
      }
    }
  }

  private readResources (manifest: XmlElement): Resource[] {
    const out: Resource[] = []
    for (const holder of named(manifest, 'resources')) {
      for (const el of named(holder, 'resource')) {
        const identifier = el.attrs.identifier ?? ''
        const local = (href: string | undefined): string | undefined => {
          if (href === undefined || isExternal(href)) return undefined
          return resolvePath('', href, MANIFEST)
        }
        const r: Resource = {
          identifier,
          type: el.attrs.type ?? '',
          href: local(el.attrs.href),
          files: named(el, 'file').map((f) => local(f.attrs.href)).filter((f): f is string => f !== undefined),
          metadata: named(el, 'metadata')[0]
        }
        for (const f of new Set([...(r.href === undefined ? [] : [r.href]), ...r.files])) {
          if (!this.zip.has(f)) this.problem(new QtiRefusal('EXAM_QTI_MISSING_FILE', `The manifest's resource "${identifier}" refers to a file the package does not hold`, f))
        }
        if (r.href === undefined && r.files.length > 0) r.href = r.files[0]
        if (identifier !== '') this.byIdentifier.set(identifier, r)
        if (r.href !== undefined) this.byPath.set(r.href, r)
        out.push(r)
      }
    }
    return out
  }

  private readItemResource (r: Resource): void {
    const where = r.href ?? r.identifier
    if (r.type !== ITEM_TYPE) throw new QtiRefusal('EXAM_QTI_VERSION', `Resource type ${r.type}: only QTI 3.0 items (${ITEM_TYPE}) are read`, where)
    if (r.href === undefined) throw new QtiRefusal('EXAM_QTI_MISSING_FILE', 'The item resource names no file', r.identifier)
    if (!this.zip.has(r.href)) return // already reported as a missing file
    const root = this.parse(r.href)
    const metadata = readItemMetadata(r.metadata, r.href)
    const refs = childElements(root, 'qti-assessment-stimulus-ref')
    if (refs.length > 1) throw new QtiRefusal('EXAM_QTI_SEVERAL_STIMULI', `The item refers to ${refs.length} stimuli; an item has at most one passage`, r.href)
    let passage: string | undefined
    if (refs.length === 1) {
      const path = this.stimulusPath(r.href, refs[0]!)
      const ref = this.stimuli.has(path) ? this.stimuli.get(path) : this.readStimulus(path)
      if (ref === null || ref === undefined) return // the stimulus's problem is reported
      passage = ref
    }
    const line = readItem(root, { path: r.href, metadata, passage, subject: this.subject })
    if (this.itemRefs.has(line.ref)) throw new QtiRefusal('EXAM_QTI_DUPLICATE_REF', `Another item already has the ref "${line.ref}"`, r.href)
    this.itemRefs.add(line.ref)
    this.items.push(line)
  }

  /** The stimulus file an item's qti-assessment-stimulus-ref names: its href (relative to the item), else its identifier. */
  private stimulusPath (itemPath: string, ref: XmlElement): string {
    const href = ref.attrs.href
    if (href !== undefined && !isExternal(href)) {
      const path = resolvePath(dirname(itemPath), href, itemPath)
      if (this.zip.has(path)) return path
    }
    const byId = this.byIdentifier.get(ref.attrs.identifier ?? '')
    if (byId?.href !== undefined && this.zip.has(byId.href)) return byId.href
    throw new QtiRefusal('EXAM_QTI_MISSING_FILE', `The stimulus "${ref.attrs.identifier ?? ''}" (${href ?? 'no href'}) is not in the package`, itemPath)
  }

  private readStimulus (path: string): string | null {
    this.stimuli.set(path, null)
    const root = this.parse(path)
    if (root.name !== 'qti-assessment-stimulus' || root.ns !== QTI_NS) throw new QtiRefusal('EXAM_QTI_NOT_STIMULUS', `The file is not a QTI 3.0 assessment stimulus (root <${root.name}>)`, path)
    const ref = readPassageRef(this.byPath.get(path)?.metadata) ?? root.attrs.identifier ?? ''
    if (ref === '' || ref.length > LINE_LIMITS.ref) throw new QtiRefusal('EXAM_QTI_REF', `The stimulus identifier is empty or passes ${LINE_LIMITS.ref} characters`, path)
    const body = child(root, 'qti-stimulus-body') ?? new QtiRefusal('EXAM_QTI_NO_BODY', 'The stimulus has no qti-stimulus-body', path)
    if (body instanceof QtiRefusal) throw body
    let nodes = body.children
    const elements = nodes.filter((n): n is XmlElement => typeof n !== 'string')
    // Our writer wraps the passage in one plain <div> (a stimulus body holds blocks): take it off.
    if (elements.length === 1 && isBlank(nodes.filter((n) => typeof n === 'string')) && elements[0]!.name === 'div' &&
        elements[0]!.ns === QTI_NS && Object.keys(elements[0]!.attrs).length === 0) nodes = elements[0]!.children
    const stimulus = decodeRich(nodes)
    if (stimulus === '') throw new QtiRefusal('EXAM_QTI_NO_BODY', 'The stimulus is empty', path)
    if (stimulus.length > LINE_LIMITS.stimulus) throw new QtiRefusal('EXAM_QTI_TOO_LONG', `The stimulus passes ${LINE_LIMITS.stimulus} characters`, path)
    const other = this.passageRefs.get(ref)
    if (other !== undefined) throw new QtiRefusal('EXAM_QTI_DUPLICATE_REF', `The stimulus ref "${ref}" is also the ref of ${other}`, path)
    this.passageRefs.set(ref, path)
    const title = root.attrs.title?.trim()
    const line: PassageLine = title !== undefined && title !== '' ? { kind: 'passage', ref, title, stimulus } : { kind: 'passage', ref, stimulus }
    this.passages.push(line)
    this.stimuli.set(path, ref)
    return ref
  }

  private parse (path: string): XmlElement {
    return parseXml(decodeXmlBytes(this.zip.read(path), path), path, this.limits)
  }
}

/** Manifest elements by local name: packages in the wild use the CP namespace of several versions. */
function named (el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && c.name === name)
}

function isExternal (href: string): boolean { return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(href) || href.startsWith('//') }

function dirname (path: string): string {
  const i = path.lastIndexOf('/')
  return i < 0 ? '' : path.slice(0, i)
}

/** A package-relative path from an href; one that leaves the package (or is absolute) is refused. */
export function resolvePath (base: string, href: string, from: string): string {
  let decoded: string
  try { decoded = decodeURIComponent(href.replace(/[?#].*$/, '')) } catch {
    throw new QtiRefusal('EXAM_QTI_PATH', `The href "${href}" is not a valid URI`, from)
  }
  if (decoded.startsWith('/') || decoded.includes('\\') || decoded.includes('\0')) throw new QtiRefusal('EXAM_QTI_PATH', `The href "${href}" is absolute`, from)
  const out: string[] = []
  for (const seg of [...(base === '' ? [] : base.split('/')), ...decoded.split('/')]) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (out.length === 0) throw new QtiRefusal('EXAM_QTI_PATH', `The href "${href}" leaves the package`, from)
      out.pop()
    } else out.push(seg)
  }
  return out.join('/')
}
