// Export then import gives back exactly the lines exported, for every item type and every field we carry.
import t from 'tap'
import { strFromU8, unzipSync } from 'fflate'
import { readQtiPackage, writeQtiPackage, type ItemLine, type PassageLine } from '../../../src/domain/qti/index.js'

function roundTrip (items: ItemLine[], passages: PassageLine[] = []): { lines: unknown[], problems: unknown[] } {
  return readQtiPackage(writeQtiPackage({ items, passages }))
}

const single: ItemLine = { type: 'single', ref: 'single-1', stem: 'What is 2 + 2?', options: ['3', '4', '5'], correctIndex: 1, subject: 'math', b: -0.4 }

t.test('a single-choice item with every dichotomous parameter comes back unchanged', async (t) => {
  const line: ItemLine = { ...single, topics: ['arithmetic', 'addition'], status: 'active', a: 1.3, b: 0.25, c: 0.2, d: 0.98 }
  t.strictSame(roundTrip([line]), { lines: [line], problems: [] })
})

t.test('a multiple-choice item scored all-or-nothing comes back with its key and scoring', async (t) => {
  const line: ItemLine = { type: 'multiple', ref: 'multi-aon', stem: 'Pick the primes', options: ['2', '4', '5', '9'], correctIndices: [0, 2], scoring: 'all-or-nothing', subject: 'math', b: 1.1 }
  t.strictSame(roundTrip([line]), { lines: [line], problems: [] })
})

t.test('a multiple-choice item scored partially comes back with its polytomous parameters', async (t) => {
  for (const irt of [
    { model: 'GRM' as const, a: 1.4, b: [-0.5, 0.7] },
    { model: 'GPCM' as const, a: 0.9, delta: [-1, 1.5] },
    { model: 'PCM' as const, delta: [0.1, 0.2] }
  ]) {
    const line: ItemLine = { type: 'multiple', ref: `multi-${irt.model}`, stem: 'Pick the primes', options: ['2', '4', '5'], correctIndices: [2, 0], scoring: 'partial', subject: 'math', irt }
    t.strictSame(roundTrip([line]).lines, [line], irt.model)
  }
})

t.test('a numeric item keeps its value and tolerance, or its list of values', async (t) => {
  const exact: ItemLine = { type: 'numeric', ref: 'num-exact', stem: 'Half of 7?', numeric: { value: 3.5 }, subject: 'math', b: 0 }
  const within: ItemLine = { type: 'numeric', ref: 'num-tol', stem: 'Pi to two places?', numeric: { value: 3.14, tolerance: 0.005 }, subject: 'math', b: 0.3 }
  const values: ItemLine = { type: 'numeric', ref: 'num-values', stem: 'A root of x² = 4?', numeric: { values: [2, -2] }, subject: 'math', b: -1 }
  const one: ItemLine = { type: 'numeric', ref: 'num-one-value', stem: 'Any of one value', numeric: { values: [1e-7] }, subject: 'math', b: 2 }
  t.strictSame(roundTrip([exact, within, values, one]), { lines: [exact, within, values, one], problems: [] })
})

t.test('a text item keeps every accepted answer in order', async (t) => {
  const many: ItemLine = { type: 'text', ref: 'text-many', stem: 'Capital of France?', accepted: ['Paris', 'paris', 'PARIS'], subject: 'geography', b: -2 }
  const one: ItemLine = { type: 'text', ref: 'text-one', stem: 'H2O is?', accepted: ['water'], subject: 'chemistry', b: 0 }
  t.strictSame(roundTrip([many, one]).lines, [many, one])
})

t.test('a rating item keeps its ordered options and its RSM parameters', async (t) => {
  const line: ItemLine = { type: 'rating', ref: 'rate-1', stem: 'I enjoy maths', options: ['Disagree', 'Neutral', 'Agree', 'Strongly agree'], subject: 'attitude', irt: { model: 'RSM', lambda: -0.3, delta: [-1, 0, 1] } }
  t.strictSame(roundTrip([line]).lines, [line])
})

t.test('a passage with its items comes back first, the items in their order and pointing at it', async (t) => {
  const passage: PassageLine = { kind: 'passage', ref: 'reading-1', title: 'The fox', stimulus: '<p>The quick brown fox.</p><p>It jumps.</p>' }
  const untitled: PassageLine = { kind: 'passage', ref: 'reading 2 (no title)', stimulus: 'A plain passage.' }
  const q1: ItemLine = { ...single, ref: 'fox-1', passage: 'reading-1' }
  const q2: ItemLine = { type: 'text', ref: 'fox-2', stem: 'What animal?', accepted: ['fox'], subject: 'reading', b: 0, passage: 'reading-1' }
  const q3: ItemLine = { ...single, ref: 'plain-1', passage: 'reading 2 (no title)' }
  t.strictSame(roundTrip([q1, q2, q3], [passage, untitled]), { lines: [passage, untitled, q1, q2, q3], problems: [] })
})

t.test('enemies, and refs that are not QTI identifiers, come back', async (t) => {
  const a: ItemLine = { ...single, ref: 'bank/12 a', enemies: ['bank/13 b'] }
  const b: ItemLine = { ...single, ref: 'bank/13 b', enemies: ['bank/12 a'], topics: [] }
  const c: ItemLine = { ...single, ref: 'BANK/13 B' }
  t.strictSame(roundTrip([a, b, c]).lines, [a, b, c])
})

t.test('text with characters that need escaping, and non-ASCII, comes back exactly', async (t) => {
  const tricky = 'Is 3 < 4 && 5 > 2? Say "yes" or \'no\' — ça, 数学, 🙂 &amp; <br> </p>'
  const passage: PassageLine = { kind: 'passage', ref: 'p<&>"\'', title: 'Title <&> "quoted" \'single\' é', stimulus: tricky }
  const line: ItemLine = {
    type: 'single', ref: 'esc<&>"\'', stem: tricky, options: ['<b>bold</b> & more', '<i>not closed', 'x < y', '&lt;literal&gt;'], correctIndex: 2,
    subject: 'Sprache & "Kultur"', topics: ['<topic>', 'ünïcödé'], passage: passage.ref, enemies: ['other"&<'], b: 0
  }
  const text: ItemLine = { type: 'text', ref: 'esc-text', stem: '<p>Type <code>&lt;</code> here:</p>', accepted: ['<', '&', '"\'', 'é'], subject: 'x', b: 0 }
  t.strictSame(roundTrip([line, text], [passage]).lines, [passage, line, text])
})

t.test('the package is well-formed QTI 3.0: namespaces, resource types, dependencies, templates', async (t) => {
  const passage: PassageLine = { kind: 'passage', ref: 'p1', stimulus: 'Read me.' }
  const files = unzipSync(writeQtiPackage({ items: [{ ...single, passage: 'p1' }], passages: [passage] }))
  t.strictSame(Object.keys(files).sort(), ['imsmanifest.xml', 'items/single-1.xml', 'passages/p1.xml'])
  const manifest = strFromU8(files['imsmanifest.xml']!)
  t.match(manifest, 'xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1"')
  t.match(manifest, /<resource identifier="p1" type="imsqti_stimulus_xmlv3p0" href="passages\/p1.xml">/)
  t.match(manifest, /<resource identifier="single-1" type="imsqti_item_xmlv3p0"[^]*<dependency identifierref="p1"\/>/)
  const itemXml = strFromU8(files['items/single-1.xml']!)
  t.match(itemXml, 'xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0"')
  t.match(itemXml, '<qti-assessment-stimulus-ref identifier="p1" href="../passages/p1.xml"')
  t.match(itemXml, 'template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"')
})

t.test('the same items always make the same bytes', async (t) => {
  t.strictSame(writeQtiPackage({ items: [single], passages: [] }), writeQtiPackage({ items: [single], passages: [] }))
})
