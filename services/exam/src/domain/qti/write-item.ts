// Our item and passage lines as QTI 3.0 XML files: standard response processing templates where they say
// what we score (match_correct, map_response), a qti-equal with a tolerance for numeric answers within a
// margin, and every text escaped (stems and options as rich text, see rich-text.ts).
import { QtiRefusal } from './limits.js'
import { highestCategory, type ItemLine, type PassageLine } from './lines.js'
import { num } from './metadata.js'
import { encodeRich } from './rich-text.js'
import { QTI_NS, escapeAttr, escapeText } from './xml.js'

const TEMPLATES = 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates'
const SCHEMA = `${QTI_NS} https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd`
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
const ROOT_NS = `xmlns="${QTI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${SCHEMA}"`

export interface StimulusLink { identifier: string, href: string, title: string | undefined }

/** Choice identifiers: A, B, … (at most ten options). */
const choiceId = (i: number): string => String.fromCharCode(65 + i)

export function writeItemXml (line: ItemLine, identifier: string, stimulus: StimulusLink | undefined): string {
  const bad = (message: string): never => { throw new QtiRefusal('EXAM_QTI_WRITE_INVALID', message, line.ref) }
  let declaration: string
  let interaction: string
  let processing: string
  const score = '<qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>'
  const value = (v: string): string => `<qti-value>${escapeText(v)}</qti-value>`
  const mapping = (keys: string[], scores: number[], upper: number): string =>
    `<qti-mapping lower-bound="0" upper-bound="${upper}" default-value="0">` +
    keys.map((k, i) => `<qti-map-entry map-key="${escapeAttr(k)}" mapped-value="${scores[i]}"/>`).join('') + '</qti-mapping>'
  const template = (name: string): string => `<qti-response-processing template="${TEMPLATES}/${name}.xml"/>`
  const choices = (options: string[] | undefined): string => (options ?? bad('options are missing'))
    .map((o, i) => `<qti-simple-choice identifier="${choiceId(i)}">${encodeRich(o)}</qti-simple-choice>`).join('\n      ')
  const choiceInteraction = (maxChoices: number): string =>
    `<qti-item-body>\n    <qti-choice-interaction response-identifier="RESPONSE" shuffle="false" max-choices="${maxChoices}">\n` +
    `      <qti-prompt>${encodeRich(line.stem)}</qti-prompt>\n      ${choices(line.options)}\n    </qti-choice-interaction>\n  </qti-item-body>`
  const textEntry = (): string =>
    `<qti-item-body>\n    <div>${encodeRich(line.stem)}</div>\n    <p><qti-text-entry-interaction response-identifier="RESPONSE"/></p>\n  </qti-item-body>`

  switch (line.type) {
    case 'single': {
      const i = line.correctIndex ?? bad('correctIndex is missing')
      declaration = `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response>${value(choiceId(i))}</qti-correct-response></qti-response-declaration>`
      interaction = choiceInteraction(1)
      processing = template('match_correct')
      break
    }
    case 'multiple': {
      const keys = (line.correctIndices ?? bad('correctIndices are missing')).map(choiceId)
      const partial = line.scoring === 'partial'
      declaration = `<qti-response-declaration identifier="RESPONSE" cardinality="multiple" base-type="identifier"><qti-correct-response>${keys.map(value).join('')}</qti-correct-response>` +
        (partial ? mapping(keys, keys.map(() => 1), keys.length) : '') + '</qti-response-declaration>'
      interaction = choiceInteraction(0)
      processing = template(partial ? 'map_response' : 'match_correct')
      break
    }
    case 'rating': {
      // A rating scale: no correct response; the mapping gives option i the score (category) i.
      const ids = (line.options ?? bad('options are missing')).map((_, i) => choiceId(i))
      declaration = '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">' +
        mapping(ids, ids.map((_, i) => i), ids.length - 1) + '</qti-response-declaration>'
      interaction = choiceInteraction(1)
      processing = template('map_response')
      break
    }
    case 'text': {
      const accepted = line.accepted ?? bad('accepted answers are missing')
      declaration = `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="string"><qti-correct-response>${value(accepted[0] ?? bad('no accepted answer'))}</qti-correct-response>` +
        (accepted.length > 1 ? mapping(accepted, accepted.map(() => 1), 1) : '') + '</qti-response-declaration>'
      interaction = textEntry()
      processing = template(accepted.length > 1 ? 'map_response' : 'match_correct')
      break
    }
    case 'numeric': {
      const key = line.numeric ?? bad('numeric key is missing')
      const values = 'values' in key ? key.values.map(num) : [num(key.value)]
      declaration = `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="float"><qti-correct-response>${value(values[0] ?? bad('no accepted value'))}</qti-correct-response>` +
        ('values' in key ? mapping(values, values.map(() => 1), 1) : '') + '</qti-response-declaration>'
      interaction = textEntry()
      if ('values' in key) processing = template('map_response')
      else if (key.tolerance === undefined) processing = template('match_correct')
      else processing = toleranceProcessing(key.tolerance)
      break
    }
    default:
      return bad(`unknown item type "${(line as { type: string }).type}"`)
  }
  if (highestCategory(line) > 0 && line.irt === undefined) bad('a polytomous item needs irt parameters')
  const stimulusRef = stimulus === undefined
    ? ''
    : `  <qti-assessment-stimulus-ref identifier="${escapeAttr(stimulus.identifier)}" href="${escapeAttr(stimulus.href)}" title="${escapeAttr(stimulus.title ?? '')}"/>\n`
  return `${HEAD}<qti-assessment-item ${ROOT_NS} identifier="${escapeAttr(identifier)}" title="${escapeAttr(line.ref)}" adaptive="false" time-dependent="false">\n` +
    `  ${declaration}\n  ${score}\n${stimulusRef}  ${interaction}\n  ${processing}\n</qti-assessment-item>\n`
}

/** Full score when the answer is within ± tolerance of the correct value (match_correct has no margin). */
function toleranceProcessing (tolerance: number): string {
  const t = num(tolerance)
  return '<qti-response-processing>\n    <qti-response-condition>\n      <qti-response-if>\n' +
    `        <qti-equal tolerance-mode="absolute" tolerance="${t} ${t}"><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-equal>\n` +
    '        <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">1</qti-base-value></qti-set-outcome-value>\n' +
    '      </qti-response-if>\n      <qti-response-else>\n' +
    '        <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">0</qti-base-value></qti-set-outcome-value>\n' +
    '      </qti-response-else>\n    </qti-response-condition>\n  </qti-response-processing>'
}

export function writeStimulusXml (passage: PassageLine, identifier: string): string {
  return `${HEAD}<qti-assessment-stimulus ${ROOT_NS} identifier="${escapeAttr(identifier)}" title="${escapeAttr(passage.title ?? '')}">\n` +
    `  <qti-stimulus-body><div>${encodeRich(passage.stimulus)}</div></qti-stimulus-body>\n</qti-assessment-stimulus>\n`
}
