// What an item is made of, declared once: the TypeBox schema the routes validate with, the same schema
// compiled for import lines, and the rules a schema cannot say (the key points at an option, options
// differ, c < d).
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import type { ErrorDetail } from '@dreamseed/kit'

const NotBlank = '\\S'
export const ItemStatus = Type.Union([Type.Literal('draft'), Type.Literal('pretest'), Type.Literal('active'), Type.Literal('retired')])
export type ItemStatus = Static<typeof ItemStatus>

export const MAX_OPTIONS = 6
/** Longest text per field, in characters (an import cuts cells at these before anything else reads them). */
export const TEXT_LIMITS = { stem: 10_000, option: 2000, subject: 100, topic: 100, topics: 20 } as const
export const itemFields = {
  stem: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.stem, pattern: NotBlank }),
  options: Type.Array(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.option, pattern: NotBlank }), { minItems: 2, maxItems: MAX_OPTIONS }),
  correctIndex: Type.Integer({ minimum: 0, maximum: MAX_OPTIONS - 1, description: 'index of the one correct option' }),
  subject: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.subject, pattern: NotBlank }),
  topics: Type.Array(Type.String({ minLength: 1, maxLength: TEXT_LIMITS.topic, pattern: NotBlank }), { maxItems: TEXT_LIMITS.topics, uniqueItems: true }),
  a: Type.Number({ exclusiveMinimum: 0, maximum: 5, description: 'discrimination, default 1' }),
  b: Type.Number({ minimum: -6, maximum: 6, description: 'difficulty' }),
  c: Type.Number({ minimum: 0, exclusiveMaximum: 0.5, description: 'lower asymptote (guessing), default 0' }),
  d: Type.Number({ exclusiveMinimum: 0.5, maximum: 1, description: 'upper asymptote, default 1' }),
  status: ItemStatus
}

export const ItemInput = Type.Object({
  stem: itemFields.stem,
  options: itemFields.options,
  correctIndex: itemFields.correctIndex,
  subject: itemFields.subject,
  topics: Type.Optional(itemFields.topics),
  a: Type.Optional(itemFields.a),
  b: itemFields.b,
  c: Type.Optional(itemFields.c),
  d: Type.Optional(itemFields.d),
  status: Type.Optional(itemFields.status)
}, { additionalProperties: false })
export type ItemInput = Static<typeof ItemInput>

export const ItemPatch = Type.Object({
  stem: Type.Optional(itemFields.stem),
  options: Type.Optional(itemFields.options),
  correctIndex: Type.Optional(itemFields.correctIndex),
  subject: Type.Optional(itemFields.subject),
  topics: Type.Optional(itemFields.topics),
  a: Type.Optional(itemFields.a),
  b: Type.Optional(itemFields.b),
  c: Type.Optional(itemFields.c),
  d: Type.Optional(itemFields.d),
  status: Type.Optional(itemFields.status)
}, { additionalProperties: false, minProperties: 1 })
export type ItemPatch = Static<typeof ItemPatch>

/** An item with every default filled in, as it is stored. */
export interface ItemContent {
  stem: string
  options: string[]
  correctIndex: number
  subject: string
  topics: string[]
  a: number
  b: number
  c: number
  d: number
  status: ItemStatus
}

export function withDefaults (input: ItemInput): ItemContent {
  return {
    stem: input.stem.trim(),
    options: input.options.map((o) => o.trim()),
    correctIndex: input.correctIndex,
    subject: input.subject.trim(),
    topics: (input.topics ?? []).map((t) => t.trim()),
    a: input.a ?? 1,
    b: input.b,
    c: input.c ?? 0,
    d: input.d ?? 1,
    status: input.status ?? 'draft'
  }
}

/** The rules across fields; empty when the item is valid. */
export function itemProblems (item: ItemContent): ErrorDetail[] {
  const problems: ErrorDetail[] = []
  if (item.correctIndex >= item.options.length) problems.push({ path: 'correctIndex', message: `must point at one of the ${item.options.length} options` })
  const seen = new Set<string>()
  item.options.forEach((o, i) => {
    const key = o.toLowerCase()
    if (seen.has(key)) problems.push({ path: `options.${i}`, message: 'repeats another option, so more than one would be correct' })
    seen.add(key)
  })
  if (new Set(item.topics).size !== item.topics.length) problems.push({ path: 'topics', message: 'must not repeat a topic' })
  if (!(item.c < item.d)) problems.push({ path: 'c', message: 'must be below d' })
  return problems
}

const inputValidator = Compile(ItemInput)

/** Checks one imported item: the schema first, then the rules across fields. */
export function checkItemInput (value: unknown): { item: ItemContent } | { problems: ErrorDetail[] } {
  if (!inputValidator.Check(value)) return { problems: schemaProblems(value) }
  const item = withDefaults(value)
  const problems = itemProblems(item)
  return problems.length > 0 ? { problems } : { item }
}

function schemaProblems (value: unknown): ErrorDetail[] {
  const out: ErrorDetail[] = []
  const seen = new Set<string>()
  for (const e of inputValidator.Errors(value)) {
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
