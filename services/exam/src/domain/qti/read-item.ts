// One QTI 3.0 assessment item to one import line, or a refusal that says why. Only what our item types can
// hold is read: one choice interaction (single, multiple, or a rating scale) or one text-entry interaction
// (numeric or text); anything else refuses the item whole.
import { QtiRefusal } from './limits.js'
import { LINE_LIMITS, highestCategory, type ItemLine, type NumericKey } from './lines.js'
import { parseNumber, type ItemMetadata } from './metadata.js'
import { decodeRich, isBlank } from './rich-text.js'
import { QTI_NS, child, childElements, descendants, serializeChildren, textOf, type XmlElement, type XmlNode } from './xml.js'

export interface ItemContext {
  path: string
  metadata: ItemMetadata | undefined
  /** The passage ref of the item's stimulus, when it has one. */
  passage: string | undefined
  /** Subject for items whose package does not say it (written elsewhere). */
  subject: string | undefined
}

/** Body content that is not part of the question as we store it: feedback and scorer-only material. */
const DROPPED = new Set(['qti-feedback-inline', 'qti-feedback-block', 'qti-rubric-block', 'qti-template-inline', 'qti-template-block'])

export function readItem (root: XmlElement, ctx: ItemContext): ItemLine {
  const refuse = (code: string, message: string): never => { throw new QtiRefusal(code, message, ctx.path) }
  if (root.name === 'assessmentItem') refuse('EXAM_QTI_VERSION', 'This is a QTI 2.x item; only QTI 3.0 items are read')
  if (root.name !== 'qti-assessment-item' || root.ns !== QTI_NS) refuse('EXAM_QTI_NOT_ITEM', `The file is not a QTI 3.0 assessment item (root <${root.name}>)`)
  if (root.attrs.adaptive === 'true') refuse('EXAM_QTI_UNSUPPORTED', 'Adaptive items (several attempts with feedback) are not supported')
  if (child(root, 'qti-template-declaration') !== undefined) refuse('EXAM_QTI_UNSUPPORTED', 'Template items (with generated values) are not supported')
  const body = child(root, 'qti-item-body') ?? refuse('EXAM_QTI_NO_BODY', 'The item has no qti-item-body')
  const interactions = descendants(body).filter((e) => e.ns === QTI_NS && e.name.endsWith('-interaction'))
  if (interactions.length === 0) refuse('EXAM_QTI_NO_INTERACTION', 'The item has no interaction')
  if (interactions.length > 1) {
    refuse('EXAM_QTI_SEVERAL_INTERACTIONS', `The item has ${interactions.length} interactions (${[...new Set(interactions.map((i) => i.name))].join(', ')}); only one per item is supported`)
  }
  const interaction = interactions[0]!
  if (interaction.name !== 'qti-choice-interaction' && interaction.name !== 'qti-text-entry-interaction') {
    refuse('EXAM_QTI_UNSUPPORTED_INTERACTION', `${interaction.name} is not supported (only qti-choice-interaction and qti-text-entry-interaction)`)
  }
  const responseId = interaction.attrs['response-identifier']
  const decl = childElements(root, 'qti-response-declaration').find((d) => d.attrs.identifier === responseId) ??
    refuse('EXAM_QTI_NO_RESPONSE', `No qti-response-declaration for the interaction's response "${responseId ?? ''}"`)
  const stem = readStem(body, interaction)
  if (stem === '') refuse('EXAM_QTI_NO_STEM', 'The item has no question text')
  if (stem.length > LINE_LIMITS.stem) refuse('EXAM_QTI_TOO_LONG', `The question text passes ${LINE_LIMITS.stem} characters`)
  const key = interaction.name === 'qti-choice-interaction'
    ? readChoice(root, interaction, decl, refuse)
    : readTextEntry(root, decl, refuse)
  const ref = ctx.metadata?.ref ?? root.attrs.identifier ?? ''
  if (ref === '' || ref.length > LINE_LIMITS.ref) refuse('EXAM_QTI_REF', `The item's identifier is empty or passes ${LINE_LIMITS.ref} characters`)
  return assemble({ ...key, stem }, ref, ctx, refuse)
}

type Refuse = (code: string, message: string) => never
type Key = Omit<ItemLine, 'ref' | 'stem' | 'subject'>

/** The body without the interaction (and the wrappers it leaves empty), then the prompt; each as rich text. */
function readStem (body: XmlElement, interaction: XmlElement): string {
  let rest = strip(body.children, interaction).nodes
  const elements = rest.filter((n): n is XmlElement => typeof n !== 'string')
  // Our writer wraps a stem in one plain <div> (an item body holds blocks, not bare text): take it off.
  if (elements.length === 1 && isBlank(rest.filter((n) => typeof n === 'string')) && elements[0]!.name === 'div' &&
      elements[0]!.ns === QTI_NS && Object.keys(elements[0]!.attrs).length === 0) rest = elements[0]!.children
  const parts: XmlNode[][] = []
  if (!isBlank(rest)) parts.push(rest)
  const prompt = child(interaction, 'qti-prompt')
  if (prompt !== undefined && !isBlank(prompt.children)) parts.push(strip(prompt.children, undefined).nodes)
  if (parts.length === 1) return decodeRich(parts[0]!)
  if (parts.every((p) => p.every((n) => typeof n === 'string'))) return parts.map(decodeRich).join('\n')
  return parts.map((p) => serializeChildren(p).trim()).join('\n')
}

/**
 * Content without the interaction and what is not question text (feedback, rubrics, the prompt, read apart);
 * a wrapper left blank by a removal goes too (the <p> or <div> that only held the interaction or feedback).
 */
function strip (nodes: XmlNode[], target: XmlElement | undefined): { nodes: XmlNode[], removed: boolean } {
  const out: XmlNode[] = []
  let removed = false
  for (const n of nodes) {
    if (typeof n === 'string') { out.push(n); continue }
    if (n === target || (n.ns === QTI_NS && (DROPPED.has(n.name) || n.name === 'qti-prompt'))) { removed = true; continue }
    const inner = strip(n.children, target)
    if (inner.removed) {
      removed = true
      if (isBlank(inner.nodes)) continue
    }
    out.push({ ...n, children: inner.nodes })
  }
  return { nodes: out, removed }
}

function readChoice (root: XmlElement, interaction: XmlElement, decl: XmlElement, refuse: Refuse): Key {
  const choices = childElements(interaction, 'qti-simple-choice')
  if (choices.length < LINE_LIMITS.minOptions || choices.length > LINE_LIMITS.maxOptions) {
    refuse('EXAM_QTI_OPTIONS', `The item has ${choices.length} choices; ${LINE_LIMITS.minOptions} to ${LINE_LIMITS.maxOptions} are supported`)
  }
  const ids = choices.map((c) => c.attrs.identifier ?? '')
  const options = choices.map((c) => decodeRich(strip(c.children, undefined).nodes))
  if (options.some((o) => o === '')) refuse('EXAM_QTI_OPTIONS', 'A choice has no text')
  if ((decl.attrs['base-type'] ?? 'identifier') !== 'identifier') refuse('EXAM_QTI_RESPONSE', 'A choice response must have base-type identifier')
  const correct = correctValues(decl)
  const mapping = mapEntries(decl, refuse)
  const indexOf = (id: string): number => {
    const i = ids.indexOf(id)
    return i >= 0 ? i : refuse('EXAM_QTI_RESPONSE', `The correct response "${id}" names no choice`)
  }
  const cardinality = decl.attrs.cardinality
  if (cardinality === 'single') {
    if (correct.length > 1) refuse('EXAM_QTI_RESPONSE', 'A single-choice response has several correct values')
    if (correct.length === 1) return { type: 'single', options, correctIndex: indexOf(correct[0]!) }
    return readRating(ids, options, mapping, refuse)
  }
  if (cardinality === 'multiple') {
    const keys = correct.length > 0 ? correct : mapping.filter((e) => e.value > 0).map((e) => e.key)
    if (keys.length === 0) refuse('EXAM_QTI_NO_KEY', 'The multiple-choice item has no correct response')
    const correctIndices = keys.map(indexOf)
    if (new Set(correctIndices).size !== correctIndices.length) refuse('EXAM_QTI_RESPONSE', 'The correct response names a choice twice')
    return { type: 'multiple', options, correctIndices, scoring: multipleScoring(root) }
  }
  return refuse('EXAM_QTI_RESPONSE', `A choice response with cardinality "${cardinality ?? ''}" is not supported`)
}

/**
 * A rating scale: a single choice with no correct response whose mapping gives every choice a distinct score
 * 0..k-1 (the category). The options are taken in score order, so option i is category i.
 */
function readRating (ids: string[], options: string[], mapping: MapEntry[], refuse: Refuse): Key {
  const score = new Map(mapping.map((e) => [e.key, e.value]))
  const byScore: string[] = []
  ids.forEach((id, i) => {
    const s = score.get(id)
    if (s !== undefined && Number.isInteger(s) && s >= 0 && s < ids.length && byScore[s] === undefined) byScore[s] = options[i]!
  })
  if (mapping.length !== ids.length || byScore.filter((o) => o !== undefined).length !== ids.length) {
    refuse('EXAM_QTI_NO_KEY', 'The single-choice item has no correct response, and its mapping is not a rating scale (each choice mapped to a distinct score 0..k-1)')
  }
  return { type: 'rating', options: byScore }
}

/** All-or-nothing when the processing only compares with the correct response; partial when it maps (or says nothing). */
function multipleScoring (root: XmlElement): 'partial' | 'all-or-nothing' {
  const rp = child(root, 'qti-response-processing')
  if (rp === undefined) return 'partial'
  const template = rp.attrs.template ?? rp.attrs['template-location'] ?? ''
  if (/(match_correct|CC2_match)(\.xml)?$/i.test(template)) return 'all-or-nothing'
  if (/map_response(\.xml)?$/i.test(template)) return 'partial'
  const inside = descendants(rp).map((e) => e.name)
  if (inside.includes('qti-map-response')) return 'partial'
  if (inside.includes('qti-match') && inside.includes('qti-correct')) return 'all-or-nothing'
  return 'partial'
}

function readTextEntry (root: XmlElement, decl: XmlElement, refuse: Refuse): Key {
  if ((decl.attrs.cardinality ?? 'single') !== 'single') refuse('EXAM_QTI_RESPONSE', 'A text-entry response must have cardinality single')
  const baseType = decl.attrs['base-type']
  const correct = correctValues(decl)
  const positive = mapEntries(decl, refuse).filter((e) => e.value > 0).map((e) => e.key)
  if (baseType === 'string') {
    const accepted = [...new Set([...correct, ...positive])]
    if (accepted.length === 0) refuse('EXAM_QTI_NO_KEY', 'The text-entry item has no correct response')
    if (accepted.length > LINE_LIMITS.maxAccepted) refuse('EXAM_QTI_ACCEPTED', `The item accepts ${accepted.length} answers; at most ${LINE_LIMITS.maxAccepted} are supported`)
    if (accepted.some((a) => a.trim() === '' || a.length > LINE_LIMITS.accepted)) refuse('EXAM_QTI_ACCEPTED', `An accepted answer is empty or passes ${LINE_LIMITS.accepted} characters`)
    return { type: 'text', accepted }
  }
  if (baseType !== 'float' && baseType !== 'integer') refuse('EXAM_QTI_RESPONSE', `A text-entry response of base-type "${baseType ?? ''}" is not supported`)
  const parse = (s: string): number => {
    const x = parseNumber(s)
    if (x === undefined || (baseType === 'integer' && !Number.isInteger(x))) refuse('EXAM_QTI_RESPONSE', `"${s}" is not a${baseType === 'integer' ? 'n integer' : ' number'}`)
    return x!
  }
  const tolerance = readTolerance(root, refuse)
  let numeric: NumericKey
  if (positive.length > 0 || correct.length > 1) {
    if (tolerance !== undefined) refuse('EXAM_QTI_UNSUPPORTED', 'A tolerance with several accepted values is not supported')
    numeric = { values: [...new Set([...correct, ...positive].map(parse))] }
  } else if (correct.length === 1) {
    const value = parse(correct[0]!)
    numeric = { value }
    if (tolerance !== undefined) numeric.tolerance = tolerance.relative ? Math.abs(value) * tolerance.size / 100 : tolerance.size
  } else {
    return refuse('EXAM_QTI_NO_KEY', 'The numeric item has no correct response')
  }
  return { type: 'numeric', numeric }
}

/** The tolerance of the response processing's <qti-equal>, if it has one that is not exact. */
function readTolerance (root: XmlElement, refuse: Refuse): { size: number, relative: boolean } | undefined {
  const rp = child(root, 'qti-response-processing')
  if (rp === undefined) return undefined
  const equal = descendants(rp).find((e) => e.name === 'qti-equal' && (e.attrs['tolerance-mode'] ?? 'exact') !== 'exact')
  if (equal === undefined) return undefined
  const mode = equal.attrs['tolerance-mode']
  if (mode !== 'absolute' && mode !== 'relative') return refuse('EXAM_QTI_RESPONSE', `Unknown tolerance-mode "${mode ?? ''}"`)
  const parts = (equal.attrs.tolerance ?? '').trim().split(/\s+/).map(parseNumber)
  const [lower, upper = lower] = parts
  if (lower === undefined || upper === undefined || parts.length > 2 || lower < 0) refuse('EXAM_QTI_RESPONSE', 'The tolerance is not one or two non-negative numbers')
  if (lower !== upper) refuse('EXAM_QTI_UNSUPPORTED', 'An asymmetric tolerance is not supported')
  return { size: lower!, relative: mode === 'relative' }
}

function correctValues (decl: XmlElement): string[] {
  const correct = child(decl, 'qti-correct-response')
  return correct === undefined ? [] : childElements(correct, 'qti-value').map((v) => textOf(v).trim())
}

interface MapEntry { key: string, value: number }
function mapEntries (decl: XmlElement, refuse: Refuse): MapEntry[] {
  const mapping = child(decl, 'qti-mapping')
  if (mapping === undefined) return []
  return childElements(mapping, 'qti-map-entry').map((e) => {
    const value = parseNumber(e.attrs['mapped-value'] ?? '')
    return { key: e.attrs['map-key'] ?? '', value: value ?? refuse('EXAM_QTI_RESPONSE', 'A map entry\'s mapped-value is not a number') }
  })
}

/** Our fields, from the metadata when the package carries it, else the documented defaults. */
function assemble (key: Key & { stem: string }, ref: string, ctx: ItemContext, refuse: Refuse): ItemLine {
  const md = ctx.metadata
  const subject = md?.subject ?? ctx.subject ?? refuse('EXAM_QTI_NO_SUBJECT', 'The package does not say the item\'s subject; give one with the import')
  const line: ItemLine = { type: key.type, ref, stem: key.stem, subject }
  if (key.options !== undefined) line.options = key.options
  if (key.correctIndex !== undefined) line.correctIndex = key.correctIndex
  if (key.correctIndices !== undefined) line.correctIndices = key.correctIndices
  if (key.scoring !== undefined) line.scoring = key.scoring
  if (key.numeric !== undefined) line.numeric = key.numeric
  if (key.accepted !== undefined) line.accepted = key.accepted
  if (md?.topics !== undefined) line.topics = md.topics
  if (md === undefined) line.status = 'draft'
  else if (md.status !== undefined) line.status = md.status
  if (ctx.passage !== undefined) line.passage = ctx.passage
  if (md?.enemies !== undefined) line.enemies = md.enemies
  const top = highestCategory(line)
  if (top === 0) {
    if (md?.irt !== undefined) refuse('EXAM_QTI_METADATA', `Item metadata: a ${line.type} item takes a, b, c, d, not the ${md.irt.model} model`)
    const d = md?.dichotomous ?? {}
    if (d.a !== undefined) line.a = d.a
    line.b = d.b ?? 0
    if (d.c !== undefined) line.c = d.c
    if (d.d !== undefined) line.d = d.d
  } else {
    if (md?.dichotomous !== undefined) refuse('EXAM_QTI_METADATA', `Item metadata: this ${line.type} item has ${top + 1} score categories and takes a polytomous model, not a, b, c, d`)
    const irt = md?.irt ?? { model: 'PCM', delta: new Array<number>(top).fill(0) }
    const steps = 'b' in irt ? irt.b : irt.delta
    if (steps.length !== top) refuse('EXAM_QTI_METADATA', `Item metadata: the ${irt.model} model needs ${top} step parameters for this item, not ${steps.length}`)
    line.irt = irt
  }
  return line
}
