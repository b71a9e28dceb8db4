// What an item is made of, declared once: the TypeBox schema the routes validate with, the same schema
// compiled for import lines, and the rules a schema cannot say (which fields each type needs, the key points
// at an option, options differ, c < d, the IRT model has as many categories as the type scores into).
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { categoryCount, toItem } from '@dreamseed/irt'
import type { ItemKey, PolytomousParameters } from '@dreamseed/schema/exam'
import type { ErrorDetail } from '@dreamseed/kit'
import { scoreCategories } from './scoring.js'

const NotBlank = '\\S'
export const ItemStatus = Type.Union([Type.Literal('draft'), Type.Literal('pretest'), Type.Literal('active'), Type.Literal('retired')])
export type ItemStatus = Static<typeof ItemStatus>
export const ItemType = Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('numeric'), Type.Literal('text'), Type.Literal('rating')])
export type ItemType = Static<typeof ItemType>
export const Scoring = Type.Union([Type.Literal('partial'), Type.Literal('all-or-nothing')])

export const MAX_OPTIONS = 10
/** Longest text per field, in characters (an import cuts cells at these before anything else reads them). */
export const TEXT_LIMITS = { stem: 10_000, option: 2000, subject: 100, topic: 100, topics: 20, ref: 100, accepted: 500, acceptedCount: 20, numericValues: 20, enemies: 50 } as const

const Location = Type.Number({ minimum: -6, maximum: 6 })
const Slope = Type.Number({ exclusiveMinimum: 0, maximum: 5 })
const Steps = Type.Array(Location, { minItems: 1, maxItems: MAX_OPTIONS - 1 })
export const Polytomous = Type.Union([
  Type.Object({ model: Type.Literal('GRM'), a: Slope, b: Steps }, { additionalProperties: false }),
  Type.Object({ model: Type.Literal('GPCM'), a: Slope, delta: Steps }, { additionalProperties: false }),
  Type.Object({ model: Type.Literal('PCM'), delta: Steps }, { additionalProperties: false }),
  Type.Object({ model: Type.Literal('RSM'), lambda: Location, delta: Steps }, { additionalProperties: false })
], { description: 'polytomous model and parameters in catR\'s layout (GRM: a, b[]; GPCM: a, delta[]; PCM: delta[]; RSM: lambda, delta[]), one threshold or step per category above 0' })
const Ref = Type.String({ minLength: 1, maxLength: TEXT_LIMITS.ref, pattern: NotBlank })
const FiniteNumber = Type.Number({ minimum: -1e12, maximum: 1e12 })

export const itemFields = {
  type: ItemType,
  ref: Ref,
  stem: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.stem, pattern: NotBlank }),
  options: Type.Array(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.option, pattern: NotBlank }), { minItems: 2, maxItems: MAX_OPTIONS }),
  correctIndex: Type.Integer({ minimum: 0, maximum: MAX_OPTIONS - 1, description: 'single: index of the one correct option' }),
  correctIndices: Type.Array(Type.Integer({ minimum: 0, maximum: MAX_OPTIONS - 1 }), { minItems: 1, maxItems: MAX_OPTIONS, uniqueItems: true, description: 'multiple: the indices of the correct options' }),
  scoring: Scoring,
  numeric: Type.Union([
    Type.Object({ value: FiniteNumber, tolerance: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })) }, { additionalProperties: false }),
    Type.Object({ values: Type.Array(FiniteNumber, { minItems: 1, maxItems: TEXT_LIMITS.numericValues }) }, { additionalProperties: false })
  ], { description: 'numeric: a value with an absolute tolerance (default 0), or a list of accepted values' }),
  accepted: Type.Array(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.accepted, pattern: NotBlank }), { minItems: 1, maxItems: TEXT_LIMITS.acceptedCount, description: 'text: accepted answers, compared after Unicode NFC, case and whitespace folding' }),
  subject: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.subject, pattern: NotBlank }),
  topics: Type.Array(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.topic, pattern: NotBlank }), { maxItems: TEXT_LIMITS.topics, uniqueItems: true }),
  a: Type.Number({ exclusiveMinimum: 0, maximum: 5, description: 'discrimination, default 1' }),
  b: Type.Number({ minimum: -6, maximum: 6, description: 'difficulty (dichotomous items)' }),
  c: Type.Number({ minimum: 0, exclusiveMaximum: 0.5, description: 'lower asymptote (guessing), default 0' }),
  d: Type.Number({ exclusiveMinimum: 0.5, maximum: 1, description: 'upper asymptote, default 1' }),
  irt: Polytomous,
  passage: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.ref, pattern: NotBlank, description: 'the passage this item belongs to: its id, or its ref' }),
  enemies: Type.Array(Ref, { maxItems: TEXT_LIMITS.enemies, uniqueItems: true, description: 'items never given in one session with this one: their ids or refs' }),
  status: ItemStatus
}

const optional = <T extends Record<string, Parameters<typeof Type.Optional>[0]>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: ReturnType<typeof Type.Optional<T[K]>> }

export const ItemInput = Type.Object({
  ...optional({ type: itemFields.type, ref: itemFields.ref }),
  stem: itemFields.stem,
  ...optional({ options: itemFields.options, correctIndex: itemFields.correctIndex, correctIndices: itemFields.correctIndices, scoring: itemFields.scoring, numeric: itemFields.numeric, accepted: itemFields.accepted }),
  subject: itemFields.subject,
  ...optional({ topics: itemFields.topics, a: itemFields.a, b: itemFields.b, c: itemFields.c, d: itemFields.d, irt: itemFields.irt, passage: itemFields.passage, enemies: itemFields.enemies, status: itemFields.status })
}, { additionalProperties: false })
export type ItemInput = Static<typeof ItemInput>

export const ItemPatch = Type.Object(optional({
  stem: itemFields.stem,
  options: itemFields.options,
  correctIndex: itemFields.correctIndex,
  correctIndices: itemFields.correctIndices,
  scoring: itemFields.scoring,
  numeric: itemFields.numeric,
  accepted: itemFields.accepted,
  subject: itemFields.subject,
  topics: itemFields.topics,
  a: itemFields.a,
  b: itemFields.b,
  c: itemFields.c,
  d: itemFields.d,
  irt: itemFields.irt,
  status: itemFields.status
}), { additionalProperties: false, minProperties: 1 })
export type ItemPatch = Static<typeof ItemPatch>

/** An item with every default filled in, as it is stored (its passage and enemies are relations, kept apart). */
export interface ItemContent {
  type: ItemType
  ref: string | null
  stem: string
  options: string[]
  correctIndex: number | null
  key: ItemKey | null
  subject: string
  topics: string[]
  a: number
  b: number
  c: number
  d: number
  irt: PolytomousParameters | null
  status: ItemStatus
}

/** Where a polytomous item sits, for the a and b columns and events that read every item as dichotomous. */
export function summaryLocation (irt: PolytomousParameters): { a: number, b: number } {
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length
  const b = irt.model === 'GRM' ? mean(irt.b) : irt.model === 'RSM' ? irt.lambda + mean(irt.delta) : mean(irt.delta)
  return { a: 'a' in irt ? irt.a : 1, b: Math.min(6, Math.max(-6, b)) }
}

const keyOf = (input: ItemInput, type: ItemType): ItemKey | null => {
  switch (type) {
    case 'multiple': return { correctIndices: [...(input.correctIndices ?? [])].sort((x, y) => x - y), scoring: input.scoring ?? 'partial' }
    case 'numeric': return input.numeric === undefined ? null : 'values' in input.numeric ? { values: [...input.numeric.values] } : { value: input.numeric.value, tolerance: input.numeric.tolerance ?? 0 }
    case 'text': return { accepted: (input.accepted ?? []).map((a) => a.trim()) }
    default: return null
  }
}

export function withDefaults (input: ItemInput): ItemContent {
  const type = input.type ?? 'single'
  const irt = input.irt ?? null
  const location = irt === null ? { a: input.a ?? 1, b: input.b ?? 0 } : summaryLocation(irt)
  return {
    type,
    ref: input.ref?.trim() ?? null,
    stem: input.stem.trim(),
    options: (input.options ?? []).map((o) => o.trim()),
    correctIndex: type === 'single' ? input.correctIndex ?? -1 : null,
    key: keyOf(input, type),
    subject: input.subject.trim(),
    topics: (input.topics ?? []).map((t) => t.trim()),
    ...location,
    c: irt === null ? input.c ?? 0 : 0,
    d: irt === null ? input.d ?? 1 : 1,
    irt,
    status: input.status ?? 'draft'
  }
}

/** Fields each type needs and fields it must not have. */
const NEEDS: Record<ItemType, { needs: Array<keyof ItemInput>, refuses: Array<keyof ItemInput> }> = {
  single: { needs: ['options', 'correctIndex'], refuses: ['correctIndices', 'scoring', 'numeric', 'accepted'] },
  multiple: { needs: ['options', 'correctIndices'], refuses: ['correctIndex', 'numeric', 'accepted'] },
  numeric: { needs: ['numeric'], refuses: ['options', 'correctIndex', 'correctIndices', 'scoring', 'accepted'] },
  text: { needs: ['accepted'], refuses: ['options', 'correctIndex', 'correctIndices', 'scoring', 'numeric'] },
  rating: { needs: ['options'], refuses: ['correctIndex', 'correctIndices', 'scoring', 'numeric', 'accepted'] }
}

/** The fields an input gives for its type: missing ones and ones of another type. */
export function fieldProblems (input: ItemInput): ErrorDetail[] {
  const type = input.type ?? 'single'
  const { needs, refuses } = NEEDS[type]
  const problems: ErrorDetail[] = []
  for (const f of needs) if (input[f] === undefined) problems.push({ path: f, message: `is required for a ${type} item` })
  for (const f of refuses) if (input[f] !== undefined) problems.push({ path: f, message: `is not a field of a ${type} item` })
  if (input.irt === undefined) {
    if (input.b === undefined) problems.push({ path: 'b', message: 'is required (or irt, for a polytomous item)' })
  } else {
    for (const f of ['a', 'b', 'c', 'd'] as const) if (input[f] !== undefined) problems.push({ path: f, message: 'is not a field of a polytomous item: its parameters are in irt' })
  }
  return problems
}

/** The rules across fields of a stored item; empty when the item is valid. */
export function itemProblems (item: ItemContent): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  const key = item.key
  if (item.type === 'single' && (item.correctIndex === null || item.correctIndex < 0 || item.correctIndex >= item.options.length)) {
    problems.push({ path: 'correctIndex', message: `must point at one of the ${item.options.length} options` })
  }
  if (key !== null && 'correctIndices' in key) {
    key.correctIndices.forEach((k, i) => { if (k >= item.options.length) problems.push({ path: `correctIndices.${i}`, message: `must point at one of the ${item.options.length} options` }) })
  }
  if (item.type !== 'numeric' && item.type !== 'text') {
    const seen = new Set<string>()
    item.options.forEach((o, i) => {
      const folded = o.toLowerCase()
      if (seen.has(folded)) problems.push({ path: `options.${i}`, message: 'repeats another option' })
      seen.add(folded)
    })
  }
  if (new Set(item.topics).size !== item.topics.length) problems.push({ path: 'topics', message: 'must not repeat a topic' })
  if (!(item.c < item.d)) problems.push({ path: 'c', message: 'must be below d' })
  if (problems.length > 0) return problems
  const categories = scoreCategories({ type: item.type, key: item.key, optionCount: item.options.length })
  if (item.irt === null) {
    if (categories > 2) problems.push({ path: 'irt', message: `is required: this item scores into ${categories} categories (0..${categories - 1}), so it needs a polytomous model with ${categories - 1} thresholds` })
  } else {
    try {
      const steps = categoryCount(toItem(item.irt)) - 1
      if (steps + 1 !== categories) problems.push({ path: 'irt', message: `has ${steps} thresholds; this item scores into ${categories} categories, so it needs ${categories - 1}` })
    } catch (err) {
      problems.push({ path: 'irt', message: (err as Error).message })
    }
  }
  return problems
}

const inputValidator = Compile(ItemInput)

/** Checks one imported item: the schema first, then the fields its type needs, then the rules across fields. */
export function checkItemInput (value: unknown): { input: ItemInput, item: ItemContent } | { problems: ErrorDetail[] } {
  if (!inputValidator.Check(value)) return { problems: schemaProblems(inputValidator, value) }
  const fields = fieldProblems(value)
  if (fields.length > 0) return { problems: fields }
  const item = withDefaults(value)
  const problems = itemProblems(item)
  return problems.length > 0 ? { problems } : { input: value, item }
}

/** A compiled schema's complaints about a value, one per path and message, worded as the routes word them. */
export function schemaProblems (validator: { Errors: (value: unknown) => Iterable<{ keyword: string, instancePath: string, params: unknown, message: string }> }, value: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = []
  const seen = new Set<string>()
  for (const e of validator.Errors(value)) {
    if (e.keyword === 'boolean') continue
    const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
    const extra = (e.params as { additionalProperties?: string[] }).additionalProperties
    const message = e.keyword === 'additionalProperties' && extra !== undefined
      ? `must not have property ${extra.map((p) => JSON.stringify(p)).join(', ')}`
      : e.keyword === 'required' ? `must have property ${JSON.stringify((e.params as { requiredProperties?: string[] }).requiredProperties?.join(', ') ?? '')}` : e.message
    const key = `${path}:${message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ path: path === '' ? '(item)' : path, message })
  }
  return out.length > 0 ? out : [{ path: '(item)', message: 'is not a valid item' }]
}
