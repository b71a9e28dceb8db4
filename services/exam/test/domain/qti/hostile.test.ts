// Hostile packages are refused with a problem after bounded work: counts are asserted (bytes inflated,
// problems listed), never times.
import t from 'tap'
import { strToU8 } from 'fflate'
import { DEFAULT_QTI_LIMITS, readQtiPackage } from '../../../src/domain/qti/index.js'
import { ZipReader } from '../../../src/domain/qti/zip-reader.js'
import { CHOICE_BODY, itemWithBody, manifest, onePackage, zipOf } from './builders.js'

const codes = (zip: Uint8Array, options = {}): string[][] => readQtiPackage(zip, { subject: 'x', ...options }).problems.map((p) => [p.path, p.code])
const good = (): Record<string, string> => ({ 'imsmanifest.xml': manifest([{ id: 'q', href: 'q.xml' }]), 'q.xml': itemWithBody('q', CHOICE_BODY) })

/** Rewrites an entry's uncompressed size in the central directory: the declared size lies. */
function lieAboutSize (zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice()
  const view = new DataView(out.buffer)
  const wanted = strToU8(name)
  for (let at = 0; at + 46 < out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 28, true) !== wanted.length) continue
    if (out.subarray(at + 46, at + 46 + wanted.length).every((b, i) => b === wanted[i])) {
      view.setUint32(at + 24, size, true)
      return out
    }
  }
  throw new Error(`no central entry ${name}`)
}

t.test('a well-formed package passes the same checks (the baseline for the cases below)', async (t) => {
  t.strictSame(codes(zipOf(good())), [])
})

t.test('bytes that are not a zip, or a cut zip, are refused', async (t) => {
  t.strictSame(codes(strToU8('not a zip at all')), [['(package)', 'EXAM_QTI_NOT_ZIP']])
  const zip = zipOf(good())
  t.strictSame(codes(zip.subarray(0, zip.length - 10)), [['(package)', 'EXAM_QTI_NOT_ZIP']])
})

t.test('more entries than the limit are refused before any is read', async (t) => {
  const files: Record<string, string> = good()
  for (let i = 0; i < DEFAULT_QTI_LIMITS.maxEntries; i++) files[`pad/${i}.txt`] = ''
  t.strictSame(codes(zipOf(files)), [['(package)', 'EXAM_QTI_TOO_MANY_ENTRIES']])
})

t.test('an entry whose declared size passes the limit is refused without inflating it', async (t) => {
  const files = good()
  files['imsmanifest.xml'] = files['imsmanifest.xml']!.replace('<organizations/>', `<organizations/>${' '.repeat(DEFAULT_QTI_LIMITS.maxEntryBytes)}`)
  const zip = zipOf(files)
  const reader = new ZipReader(zip, DEFAULT_QTI_LIMITS)
  t.throws(() => reader.read('imsmanifest.xml'), { code: 'EXAM_QTI_ENTRY_TOO_LARGE' })
  t.equal(reader.bytesOut, 0)
  t.strictSame(codes(zip), [['imsmanifest.xml', 'EXAM_QTI_ENTRY_TOO_LARGE']])
})

t.test('an entry that lies about its size is stopped by the count while inflating', async (t) => {
  const files = good()
  files['imsmanifest.xml'] = files['imsmanifest.xml']!.replace('<organizations/>', `<organizations/>${' '.repeat(3 * 1024 * 1024)}`)
  const zip = lieAboutSize(zipOf(files), 'imsmanifest.xml', 100)
  const limits = { ...DEFAULT_QTI_LIMITS, maxEntryBytes: 1024 * 1024, maxRatio: 1e9 }
  const reader = new ZipReader(zip, limits)
  t.throws(() => reader.read('imsmanifest.xml'), { code: 'EXAM_QTI_ENTRY_TOO_LARGE' })
  // One slice of 4 KiB inflates to at most ~4 MiB (deflate's ratio is at most 1032): the work stops there.
  t.ok(reader.bytesOut <= limits.maxEntryBytes + 4096 * 1032, `${reader.bytesOut} bytes inflated`)
  t.strictSame(codes(zip, { maxEntryBytes: limits.maxEntryBytes, maxRatio: 1e9 }), [['imsmanifest.xml', 'EXAM_QTI_ENTRY_TOO_LARGE']])
})

t.test('a zip bomb is refused on its compression ratio', async (t) => {
  const files = good()
  files['imsmanifest.xml'] = files['imsmanifest.xml']!.replace('<organizations/>', `<organizations/>${' '.repeat(6 * 1024 * 1024)}`)
  const zip = zipOf(files)
  const reader = new ZipReader(zip, DEFAULT_QTI_LIMITS)
  t.throws(() => reader.read('imsmanifest.xml'), { code: 'EXAM_QTI_ZIP_RATIO' })
  t.ok(reader.bytesOut < 6 * 1024 * 1024, `${reader.bytesOut} bytes inflated`)
})

t.test('files that pass the total limit together are refused', async (t) => {
  const files: Record<string, string> = { 'imsmanifest.xml': manifest([1, 2, 3, 4].map((i) => ({ id: `q${i}`, href: `q${i}.xml` }))) }
  for (const i of [1, 2, 3, 4]) files[`q${i}.xml`] = itemWithBody(`q${i}`, CHOICE_BODY)
  const total = files['imsmanifest.xml']!.length + 2 * files['q1.xml']!.length
  t.strictSame(codes(zipOf(files), { maxTotalBytes: total }), [['q3.xml', 'EXAM_QTI_TOO_LARGE'], ['q4.xml', 'EXAM_QTI_TOO_LARGE']])
})

t.test('entry names that are absolute or climb out are refused', async (t) => {
  for (const name of ['../evil.xml', 'a/../../evil.xml', '/etc/evil.xml', 'C:/evil.xml', 'a\\evil.xml']) {
    t.strictSame(codes(zipOf({ ...good(), [name]: 'x' })), [[name, 'EXAM_QTI_ZIP_PATH']], name)
  }
})

t.test('a manifest href that leaves the package, or names a missing file, is refused', async (t) => {
  t.strictSame(codes(zipOf({ 'imsmanifest.xml': manifest([{ id: 'q', href: '../q.xml' }]) })), [['imsmanifest.xml', 'EXAM_QTI_PATH']])
  t.strictSame(codes(zipOf({ 'imsmanifest.xml': manifest([{ id: 'q', href: 'items/gone.xml' }]) })), [['items/gone.xml', 'EXAM_QTI_MISSING_FILE']])
  t.strictSame(codes(zipOf({ 'q.xml': 'x' })), [['imsmanifest.xml', 'EXAM_QTI_NO_MANIFEST']])
})

t.test('DOCTYPE and ENTITY declarations are refused, in the manifest and in items', async (t) => {
  const laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n<manifest>&lol2;</manifest>'
  t.strictSame(codes(zipOf({ 'imsmanifest.xml': laughs })), [['imsmanifest.xml', 'EXAM_QTI_XML_DOCTYPE']])
  const external = itemWithBody('q', CHOICE_BODY).replace('<qti-assessment-item', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<qti-assessment-item').replace('Which?', '&xxe;')
  t.strictSame(codes(onePackage('q', external)), [['items/q.xml', 'EXAM_QTI_XML_DOCTYPE']])
  t.strictSame(codes(onePackage('q', itemWithBody('q', CHOICE_BODY.replace('Which?', '&undeclared;')))), [['items/q.xml', 'EXAM_QTI_XML_SYNTAX']])
})

t.test('nesting, elements, attributes and text past the limits are refused', async (t) => {
  const deep = itemWithBody('q', `${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}${CHOICE_BODY}`)
  // (so repetitive it would pass the ratio limit first: that limit is lifted here to reach the parser)
  t.strictSame(codes(onePackage('q', deep), { maxRatio: 1e9 }), [['items/q.xml', 'EXAM_QTI_XML_DEPTH']])
  const many = itemWithBody('q', `<p>${'<b/>'.repeat(DEFAULT_QTI_LIMITS.maxElements)}</p>${CHOICE_BODY}`)
  t.strictSame(codes(onePackage('q', many)), [['items/q.xml', 'EXAM_QTI_XML_ELEMENTS']])
  const wide = itemWithBody('q', `<p ${Array.from({ length: 100 }, (_, i) => `a${i}="1"`).join(' ')}/>${CHOICE_BODY}`)
  t.strictSame(codes(onePackage('q', wide)), [['items/q.xml', 'EXAM_QTI_XML_ATTRIBUTES']])
  const spread = itemWithBody('q', `<p>${'<b a="1" c="2"/>'.repeat(600)}</p>${CHOICE_BODY}`)
  t.strictSame(codes(onePackage('q', spread), { maxAttributes: 1000 }), [['items/q.xml', 'EXAM_QTI_XML_ATTRIBUTES']])
  const long = itemWithBody('q', `<p>${'x'.repeat(DEFAULT_QTI_LIMITS.maxTextChars + 1)}</p>${CHOICE_BODY}`)
  t.strictSame(codes(onePackage('q', long)), [['items/q.xml', 'EXAM_QTI_XML_TEXT']])
})

t.test('files that are not UTF-8 are refused', async (t) => {
  const xml = itemWithBody('q', CHOICE_BODY.replace('Which?', 'Quel caf\u00e9?'))
  const latin1 = strToU8(xml, true)
  t.strictSame(codes(zipOf({ 'imsmanifest.xml': manifest([{ id: 'q', href: 'q.xml' }]), 'q.xml': latin1 })), [['q.xml', 'EXAM_QTI_ENCODING']])
  const declared = xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
  t.strictSame(codes(onePackage('q', declared)), [['items/q.xml', 'EXAM_QTI_ENCODING']])
  const utf16 = new Uint8Array([0xff, 0xfe, ...strToU8('<')])
  t.strictSame(codes(zipOf({ 'imsmanifest.xml': utf16 })), [['imsmanifest.xml', 'EXAM_QTI_ENCODING']])
})

t.test('a package of many bad items lists at most maxProblems problems and stops reading', async (t) => {
  const files: Record<string, string> = { 'imsmanifest.xml': manifest(Array.from({ length: 300 }, (_, i) => ({ id: `q${i}`, href: `q${i}.xml` }))) }
  for (let i = 0; i < 300; i++) files[`q${i}.xml`] = itemWithBody(`q${i}`, '<qti-upload-interaction response-identifier="RESPONSE"/>')
  const r = readQtiPackage(zipOf(files), { subject: 'x' })
  t.equal(r.problems.length, DEFAULT_QTI_LIMITS.maxProblems)
  t.strictSame(r.problems.at(-1)?.path, `q${DEFAULT_QTI_LIMITS.maxProblems - 1}.xml`)
  t.strictSame(r.lines, [])
})
