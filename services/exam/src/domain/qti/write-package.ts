// Our items and passages as a QTI 3.0 content package: imsmanifest.xml (one resource per file, items
// depending on their stimulus, our fields in each resource's metadata) and one XML file per item and passage.
import { zipSync, strToU8 } from 'fflate'
import { QtiRefusal } from './limits.js'
import type { ItemLine, PassageLine } from './lines.js'
import { writeItemMetadata, writePassageMetadata } from './metadata.js'
import { escapeAttr } from './xml.js'
import { writeItemXml, writeStimulusXml } from './write-item.js'

export interface QtiWriteInput {
  items: ItemLine[]
  passages: PassageLine[]
}

const CP_NS = 'http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1'
const CP_SCHEMA = `${CP_NS} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd`
/** A fixed date, so the same items always make the same bytes. */
const MTIME = new Date('2020-01-01T00:00:00Z')

export function writeQtiPackage (input: QtiWriteInput): Uint8Array {
  const ids = new Identifiers()
  const files: Record<string, Uint8Array> = {}
  const resources: string[] = []
  const stimuli = new Map<string, { identifier: string, file: string, title: string | undefined }>()
  for (const p of input.passages) {
    if (stimuli.has(p.ref)) throw new QtiRefusal('EXAM_QTI_WRITE_INVALID', 'Two passages have this ref', p.ref)
    const identifier = ids.take(p.ref, 'passage')
    const file = `passages/${identifier}.xml`
    stimuli.set(p.ref, { identifier, file, title: p.title })
    files[file] = strToU8(writeStimulusXml(p, identifier))
    resources.push(resource(identifier, 'imsqti_stimulus_xmlv3p0', file, writePassageMetadata(p.ref), undefined))
  }
  for (const item of input.items) {
    const identifier = ids.take(item.ref, 'item')
    const file = `items/${identifier}.xml`
    let stimulus: { identifier: string, file: string, title: string | undefined } | undefined
    if (item.passage !== undefined) {
      stimulus = stimuli.get(item.passage)
      if (stimulus === undefined) throw new QtiRefusal('EXAM_QTI_WRITE_INVALID', `The item's passage "${item.passage}" is not among the passages`, item.ref)
    }
    const link = stimulus === undefined ? undefined : { identifier: stimulus.identifier, href: `../${stimulus.file}`, title: stimulus.title }
    files[file] = strToU8(writeItemXml(item, identifier, link))
    resources.push(resource(identifier, 'imsqti_item_xmlv3p0', file, writeItemMetadata(item), stimulus?.identifier))
  }
  const manifest = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<manifest xmlns="${CP_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${CP_SCHEMA}" identifier="dreamseed-export">\n` +
    '  <metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion></metadata>\n' +
    '  <organizations/>\n  <resources>\n' + resources.join('') + '  </resources>\n</manifest>\n'
  return zipSync({ 'imsmanifest.xml': strToU8(manifest), ...files }, { level: 6, mtime: MTIME })
}

function resource (identifier: string, type: string, file: string, metadata: string, dependency: string | undefined): string {
  return `    <resource identifier="${escapeAttr(identifier)}" type="${type}" href="${escapeAttr(file)}">\n` +
    `      <metadata>${metadata}</metadata>\n      <file href="${escapeAttr(file)}"/>\n` +
    (dependency === undefined ? '' : `      <dependency identifierref="${escapeAttr(dependency)}"/>\n`) +
    '    </resource>\n'
}

/**
 * QTI identifiers (and our file names) from refs: a ref that is already a safe identifier is kept, any other
 * gets a generated one (the ref itself travels in the metadata). Unique without regard to case, so the files
 * do not collide on a case-insensitive disk.
 */
class Identifiers {
  private readonly used = new Set<string>()
  private counter = 0
  take (ref: string, kind: string): string {
    let id = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/.test(ref) ? ref : `${kind}-${++this.counter}`
    while (this.used.has(id.toLowerCase())) id = `${kind}-${++this.counter}`
    this.used.add(id.toLowerCase())
    return id
  }
}
