// Packages written elsewhere, in the shapes of 1EdTech's published QTI 3.0 examples (choice with custom
// response processing and feedback, multiple response with match_correct or a mapping, text entry with a
// mapping, numeric text entry, a stimulus referenced from its items): they import with our defaults.
import t from 'tap'
import { readQtiPackage } from '../../../src/domain/qti/index.js'
import { QTI, item, manifest, onePackage, zipOf } from './builders.js'

const MATCH_CORRECT = '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"/>'

t.test('a single choice with feedback and hand-written response processing imports as single', async (t) => {
  const xml = item('polynomials', {
    declarations: '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>ChoiceC</qti-value></qti-correct-response></qti-response-declaration><qti-outcome-declaration identifier="FEEDBACK" cardinality="single" base-type="identifier"/>',
    body: `<p>Which of these is a polynomial?</p>
    <qti-choice-interaction response-identifier="RESPONSE" shuffle="true" max-choices="1">
      <qti-prompt> </qti-prompt>
      <qti-simple-choice identifier="ChoiceA">sin x</qti-simple-choice>
      <qti-simple-choice identifier="ChoiceB" fixed="false">
        e<sup>x</sup>
      </qti-simple-choice>
      <qti-simple-choice identifier="ChoiceC">x + 1</qti-simple-choice>
    </qti-choice-interaction>
    <p><qti-feedback-inline outcome-identifier="FEEDBACK" show-hide="show" identifier="OK">Right.</qti-feedback-inline></p>`,
    processing: `<qti-response-processing><qti-response-condition><qti-response-if>
      <qti-match><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-match>
      <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">1</qti-base-value></qti-set-outcome-value>
      </qti-response-if></qti-response-condition></qti-response-processing>`
  })
  const r = readQtiPackage(onePackage('polynomials', xml), { subject: 'math' })
  t.strictSame(r, {
    problems: [],
    lines: [{ type: 'single', ref: 'polynomials', stem: '<p>Which of these is a polynomial?</p>', subject: 'math', options: ['sin x', 'e<sup>x</sup>', 'x + 1'], correctIndex: 2, status: 'draft', b: 0 }]
  })
})

t.test('a multiple response with the match_correct template imports all-or-nothing, stem from body and prompt', async (t) => {
  const xml = item('features', {
    declarations: '<qti-response-declaration base-type="identifier" cardinality="multiple" identifier="RESPONSE"><qti-correct-response><qti-value>A</qti-value><qti-value>C</qti-value></qti-correct-response></qti-response-declaration>',
    body: `<p>QTI 3 came out in 2022.</p>
    <qti-choice-interaction max-choices="2" response-identifier="RESPONSE">
      <qti-prompt><p>Which are <strong>new</strong>?</p></qti-prompt>
      <qti-simple-choice identifier="A">Shared vocabulary</qti-simple-choice>
      <qti-simple-choice identifier="B">Pineapple flavour</qti-simple-choice>
      <qti-simple-choice identifier="C">Catalogs</qti-simple-choice>
    </qti-choice-interaction>`,
    processing: MATCH_CORRECT
  })
  const [line] = readQtiPackage(onePackage('features', xml), { subject: 'qti' }).lines
  t.strictSame(line, {
    type: 'multiple', ref: 'features', stem: '<p>QTI 3 came out in 2022.</p>\n<p>Which are <strong>new</strong>?</p>', subject: 'qti',
    options: ['Shared vocabulary', 'Pineapple flavour', 'Catalogs'], correctIndices: [0, 2], scoring: 'all-or-nothing', status: 'draft', b: 0
  })
})

t.test('a multiple response scored by its mapping imports partial, with zero PCM steps by default', async (t) => {
  const xml = item('materials', {
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier">
      <qti-correct-response><qti-value>A</qti-value><qti-value>I</qti-value></qti-correct-response>
      <qti-mapping lower-bound="0" upper-bound="2" default-value="0"><qti-map-entry map-key="A" mapped-value="1"/><qti-map-entry map-key="I" mapped-value="1"/></qti-mapping>
    </qti-response-declaration>`,
    body: `<qti-choice-interaction response-identifier="RESPONSE" shuffle="true" max-choices="0">
      <qti-prompt>Select the uses of aluminium alloy:</qti-prompt>
      <qti-simple-choice identifier="A">Aircraft</qti-simple-choice>
      <qti-simple-choice identifier="I">Irrigation pipes</qti-simple-choice>
      <qti-simple-choice identifier="C">Cultivator tines</qti-simple-choice>
    </qti-choice-interaction>`,
    processing: `<qti-response-processing><qti-response-condition><qti-response-if><qti-is-null><qti-variable identifier="RESPONSE"/></qti-is-null>
      <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">0</qti-base-value></qti-set-outcome-value></qti-response-if>
      <qti-response-else><qti-set-outcome-value identifier="SCORE"><qti-map-response identifier="RESPONSE"/></qti-set-outcome-value></qti-response-else>
      </qti-response-condition></qti-response-processing>`
  })
  const [line] = readQtiPackage(onePackage('materials', xml), { subject: 'science' }).lines
  t.strictSame(line, {
    type: 'multiple', ref: 'materials', stem: 'Select the uses of aluminium alloy:', subject: 'science', options: ['Aircraft', 'Irrigation pipes', 'Cultivator tines'],
    correctIndices: [0, 1], scoring: 'partial', status: 'draft', irt: { model: 'PCM', delta: [0, 0] }
  })
})

t.test('a string text entry accepts its correct response and every positively mapped answer', async (t) => {
  const xml = item('calculus', {
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string">
      <qti-correct-response><qti-value>gradient</qti-value></qti-correct-response>
      <qti-mapping default-value="0"><qti-map-entry map-key="slope" mapped-value="1.0"/><qti-map-entry map-key="gradient" mapped-value="1.0"/><qti-map-entry map-key="tangent" mapped-value="0"/></qti-mapping>
    </qti-response-declaration>`,
    body: '<p>What does the derivative of a graph give?</p>\n    <div><qti-text-entry-interaction response-identifier="RESPONSE" expected-length="15"/></div>',
    processing: '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"/>'
  })
  const [line] = readQtiPackage(onePackage('calculus', xml), { subject: 'math' }).lines
  t.strictSame(line, { type: 'text', ref: 'calculus', stem: '<p>What does the derivative of a graph give?</p>', subject: 'math', accepted: ['gradient', 'slope'], status: 'draft', b: 0 })
})

t.test('a numeric text entry takes its tolerance from qti-equal (relative tolerances become absolute)', async (t) => {
  const numeric = (id: string, baseType: string, value: string, tolerance: string): string => item(id, {
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="${baseType}"><qti-correct-response><qti-value>${value}</qti-value></qti-correct-response></qti-response-declaration>`,
    body: '<p>How many metres? <qti-text-entry-interaction response-identifier="RESPONSE"/></p>',
    processing: `<qti-response-processing><qti-response-condition><qti-response-if>
      <qti-equal ${tolerance}><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-equal>
      <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">1</qti-base-value></qti-set-outcome-value>
      </qti-response-if></qti-response-condition></qti-response-processing>`
  })
  const pkg = zipOf({
    'imsmanifest.xml': manifest([{ id: 'rel', href: 'rel.xml' }, { id: 'int', href: 'int.xml' }]),
    'rel.xml': numeric('rel', 'float', '200', 'tolerance-mode="relative" tolerance="5"'),
    'int.xml': numeric('int', 'integer', '12', 'tolerance-mode="exact"')
  })
  const r = readQtiPackage(pkg, { subject: 'physics' })
  t.strictSame(r.problems, [])
  t.strictSame(r.lines.map((l) => 'numeric' in l ? l.numeric : undefined), [{ value: 200, tolerance: 10 }, { value: 12 }])
  t.equal((r.lines[0] as { stem: string }).stem, '<p>How many metres? </p>')
})

t.test('items referring to a stimulus import after one passage line, whatever type the manifest gives it', async (t) => {
  const stimulus = `<qti-assessment-stimulus xmlns="${QTI}" identifier="Stimulus1" title="An Unusual Night" xml:lang="en">
  <qti-stimulus-body>
    <div class="passage"><h2>An Unusual Night</h2><p>Anna was ten years old.</p></div>
  </qti-stimulus-body>
</qti-assessment-stimulus>`
  const question = (id: string, stem: string): string => item(id, {
    declarations: '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"><qti-correct-response><qti-value>ten</qti-value></qti-correct-response></qti-response-declaration>',
    head: '<qti-assessment-stimulus-ref identifier="Stimulus1" href="../passages/night.xml" title="An Unusual Night"/>',
    body: `<p>${stem} <qti-text-entry-interaction response-identifier="RESPONSE"/></p>`,
    processing: MATCH_CORRECT
  })
  const pkg = zipOf({
    'imsmanifest.xml': manifest([
      { id: 'night-1', href: 'items/night1.xml', deps: ['Stimulus1'] },
      { id: 'night-2', href: 'items/night2.xml', deps: ['Stimulus1'] },
      { id: 'Stimulus1', href: 'passages/night.xml', type: 'imsqti_test_xmlv3p0' }
    ]),
    'items/night1.xml': question('night-1', 'How old was Anna?'),
    'items/night2.xml': question('night-2', 'Her age in words?'),
    'passages/night.xml': stimulus
  })
  const r = readQtiPackage(pkg, { subject: 'reading' })
  t.strictSame(r.problems, [])
  t.strictSame(r.lines.map((l) => [l.ref, 'passage' in l ? l.passage : undefined]), [['Stimulus1', undefined], ['night-1', 'Stimulus1'], ['night-2', 'Stimulus1']])
  t.strictSame(r.lines[0], { kind: 'passage', ref: 'Stimulus1', title: 'An Unusual Night', stimulus: '<div class="passage"><h2>An Unusual Night</h2><p>Anna was ten years old.</p></div>' })
})

t.test('a single choice with no key whose mapping scores the choices 0..k-1 imports as a rating scale', async (t) => {
  const xml = item('likert', {
    declarations: `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
      <qti-mapping default-value="0"><qti-map-entry map-key="SA" mapped-value="2"/><qti-map-entry map-key="N" mapped-value="1"/><qti-map-entry map-key="SD" mapped-value="0"/></qti-mapping>
    </qti-response-declaration>`,
    body: `<qti-choice-interaction response-identifier="RESPONSE" shuffle="false" max-choices="1"><qti-prompt>Tests are fun.</qti-prompt>
      <qti-simple-choice identifier="SA">Agree</qti-simple-choice><qti-simple-choice identifier="N">Neutral</qti-simple-choice><qti-simple-choice identifier="SD">Disagree</qti-simple-choice>
    </qti-choice-interaction>`,
    processing: '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response.xml"/>'
  })
  const [line] = readQtiPackage(onePackage('likert', xml), { subject: 'attitude' }).lines
  t.strictSame(line, { type: 'rating', ref: 'likert', stem: 'Tests are fun.', subject: 'attitude', options: ['Disagree', 'Neutral', 'Agree'], status: 'draft', irt: { model: 'PCM', delta: [0, 0] } })
})

t.test('without our metadata and without a subject option, the item is refused for want of a subject', async (t) => {
  const xml = item('no-subject', {
    declarations: '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>',
    body: '<qti-choice-interaction response-identifier="RESPONSE"><qti-prompt>Q?</qti-prompt><qti-simple-choice identifier="A">a</qti-simple-choice><qti-simple-choice identifier="B">b</qti-simple-choice></qti-choice-interaction>'
  })
  const r = readQtiPackage(onePackage('no-subject', xml))
  t.strictSame(r.lines, [])
  t.strictSame(r.problems.map((p) => [p.path, p.code]), [['items/no-subject.xml', 'EXAM_QTI_NO_SUBJECT']])
})
