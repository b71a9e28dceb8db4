// What our item types cannot hold is refused per item, with the reason, and nothing of the package is imported.
import t from 'tap'
import { readQtiPackage } from '../../../src/domain/qti/index.js'
import { CHOICE_BODY, item, itemWithBody, manifest, onePackage, zipOf } from './builders.js'

const unsupported: Record<string, string> = {
  'qti-hotspot-interaction': '<qti-hotspot-interaction response-identifier="RESPONSE" max-choices="1"><object data="map.png" type="image/png"/><qti-hotspot-choice identifier="A" shape="circle" coords="1,2,3"/></qti-hotspot-interaction>',
  'qti-drawing-interaction': '<qti-drawing-interaction response-identifier="RESPONSE"><object data="canvas.png" type="image/png"/></qti-drawing-interaction>',
  'qti-graphic-order-interaction': '<qti-graphic-order-interaction response-identifier="RESPONSE"><object data="uk.png" type="image/png"/></qti-graphic-order-interaction>',
  'qti-match-interaction': '<qti-match-interaction response-identifier="RESPONSE"><qti-simple-match-set/><qti-simple-match-set/></qti-match-interaction>',
  'qti-order-interaction': '<qti-order-interaction response-identifier="RESPONSE"><qti-simple-choice identifier="A">a</qti-simple-choice></qti-order-interaction>',
  'qti-upload-interaction': '<qti-upload-interaction response-identifier="RESPONSE"/>',
  'qti-extended-text-interaction': '<qti-extended-text-interaction response-identifier="RESPONSE"><qti-prompt>Write an essay.</qti-prompt></qti-extended-text-interaction>',
  'qti-portable-custom-interaction': '<qti-portable-custom-interaction response-identifier="RESPONSE" custom-interaction-type-identifier="x"/>',
  'qti-custom-interaction': '<qti-custom-interaction response-identifier="RESPONSE"/>',
  'qti-slider-interaction': '<qti-slider-interaction response-identifier="RESPONSE" lower-bound="0" upper-bound="10"/>',
  'qti-inline-choice-interaction': '<p>Pick <qti-inline-choice-interaction response-identifier="RESPONSE"><qti-inline-choice identifier="A">a</qti-inline-choice></qti-inline-choice-interaction></p>'
}

t.test('each unsupported interaction refuses its item, naming the interaction', async (t) => {
  for (const [name, body] of Object.entries(unsupported)) {
    const r = readQtiPackage(onePackage('odd', itemWithBody('odd', `<p>Question</p>${body}`)), { subject: 'x' })
    t.strictSame(r.lines, [], name)
    t.equal(r.problems.length, 1, name)
    t.equal(r.problems[0]?.code, 'EXAM_QTI_UNSUPPORTED_INTERACTION', name)
    t.equal(r.problems[0]?.path, 'items/odd.xml', name)
    t.match(r.problems[0]?.message, name, name)
  }
})

t.test('an item with several interactions is refused, not half-imported', async (t) => {
  const body = `${CHOICE_BODY}\n<p>And: <qti-text-entry-interaction response-identifier="RESPONSE2"/></p>`
  const r = readQtiPackage(onePackage('two', itemWithBody('two', body)), { subject: 'x' })
  t.strictSame(r.lines, [])
  t.strictSame(r.problems.map((p) => p.code), ['EXAM_QTI_SEVERAL_INTERACTIONS'])
  t.match(r.problems[0]!.message, /2 interactions \(qti-choice-interaction, qti-text-entry-interaction\)/)
})

t.test('one bad item among good ones: the package yields no line and one problem naming the bad file', async (t) => {
  const pkg = zipOf({
    'imsmanifest.xml': manifest([{ id: 'good', href: 'good.xml' }, { id: 'bad', href: 'bad.xml' }, { id: 'good2', href: 'good2.xml' }]),
    'good.xml': itemWithBody('good', CHOICE_BODY),
    'bad.xml': itemWithBody('bad', unsupported['qti-upload-interaction']!),
    'good2.xml': itemWithBody('good2', CHOICE_BODY)
  })
  const r = readQtiPackage(pkg, { subject: 'x' })
  t.strictSame(r.lines, [])
  t.strictSame(r.problems.map((p) => [p.path, p.code]), [['bad.xml', 'EXAM_QTI_UNSUPPORTED_INTERACTION']])
})

t.test('items we could not score or place are refused with their reason', async (t) => {
  const cases: Array<[string, string, string]> = [
    ['QTI 2.x item', '<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="old"/>', 'EXAM_QTI_VERSION'],
    ['adaptive item', itemWithBody('x', CHOICE_BODY).replace('adaptive="false"', 'adaptive="true"'), 'EXAM_QTI_UNSUPPORTED'],
    ['no interaction', itemWithBody('x', '<p>Just text</p>'), 'EXAM_QTI_NO_INTERACTION'],
    ['single choice without key or rating mapping', item('x', { declarations: '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"/>', body: CHOICE_BODY }), 'EXAM_QTI_NO_KEY'],
    ['eleven choices', itemWithBody('x', `<qti-choice-interaction response-identifier="RESPONSE"><qti-prompt>Q</qti-prompt>${'<qti-simple-choice identifier="A">a</qti-simple-choice>'.repeat(11)}</qti-choice-interaction>`), 'EXAM_QTI_OPTIONS'],
    ['several stimuli', itemWithBody('x', CHOICE_BODY).replace('<qti-item-body>', '<qti-assessment-stimulus-ref identifier="s1" href="s1.xml"/><qti-assessment-stimulus-ref identifier="s2" href="s2.xml"/><qti-item-body>'), 'EXAM_QTI_SEVERAL_STIMULI'],
    ['asymmetric tolerance', item('x', {
      declarations: '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float"><qti-correct-response><qti-value>1</qti-value></qti-correct-response></qti-response-declaration>',
      body: '<p>n = <qti-text-entry-interaction response-identifier="RESPONSE"/></p>',
      processing: '<qti-response-processing><qti-equal tolerance-mode="absolute" tolerance="0.1 0.3"><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-equal></qti-response-processing>'
    }), 'EXAM_QTI_UNSUPPORTED']
  ]
  for (const [name, xml, code] of cases) {
    const r = readQtiPackage(onePackage('x', xml), { subject: 'x' })
    t.strictSame(r.problems.map((p) => [p.path, p.code]), [['items/x.xml', code]], name)
  }
})

t.test('metadata that does not fit the item is refused', async (t) => {
  const md = (irt: string): string => `<ds:item xmlns:ds="urn:dreamseed:xsd:qti-metadata:v1"><ds:subject>s</ds:subject>${irt}</ds:item>`
  const cases: Array<[string, string]> = [['polytomous model on a single', '<ds:irt model="GRM" a="1" b="0"/>'], ['unknown model', '<ds:irt model="3PL+" a="1"/>'], ['not a number', '<ds:irt b="high"/>']]
  for (const [name, irt] of cases) {
    const pkg = zipOf({ 'imsmanifest.xml': manifest([{ id: 'x', href: 'x.xml', metadata: md(irt) }]), 'x.xml': itemWithBody('x', CHOICE_BODY) })
    t.strictSame(readQtiPackage(pkg).problems.map((p) => p.code), ['EXAM_QTI_METADATA'], name)
  }
})
