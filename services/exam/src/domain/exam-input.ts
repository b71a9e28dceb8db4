// What an exam is made of: one request shape for both kinds, checked field by field by the schema and as a
// whole here (a fixed form lists items and nothing adaptive; an adaptive exam names a pool and a length).
import { Type, type Static } from 'typebox'
import { validateStoppingRules } from '@dreamseed/irt'
import type { ErrorDetail } from '@dreamseed/kit'
import { itemFields } from './item-input.js'
import { ExamInvalidError } from '../errors.js'
import type { ExamDefinition } from './model.js'

export const MAX_EXAM_ITEMS = 200
const Uuid = Type.String({ format: 'uuid' })

export const Estimator = Type.Union([Type.Literal('EAP'), Type.Literal('MAP'), Type.Literal('MLE'), Type.Literal('WLE')])

export const RapidGuesses = Type.Union([Type.Literal('count'), Type.Literal('exclude')], { description: 'whether answers flagged as rapid guesses count toward the ability estimate (count, the default: they count and are flagged) or are left out of it (exclude: still recorded, scored and shown)' })

export const Stopping = Type.Object({
  minItems: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_EXAM_ITEMS })),
  maxItems: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_EXAM_ITEMS })),
  seTarget: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 5 })),
  timeLimitSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 86_400 }))
}, { additionalProperties: false })

export const ExamInput = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
  kind: Type.Union([Type.Literal('fixed'), Type.Literal('adaptive')]),
  itemIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: MAX_EXAM_ITEMS, uniqueItems: true, description: 'fixed: the items in order' })),
  subject: Type.Optional(Type.String({ ...itemFields.subject, description: 'adaptive: the pool\'s subject' })),
  topics: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20, uniqueItems: true, description: 'adaptive: pool items have at least one of these topics (any topic when left out)' })),
  estimator: Type.Optional(Estimator),
  startTheta: Type.Optional(Type.Number({ minimum: -4, maximum: 4, description: 'adaptive: ability the first item is chosen for (default 0)' })),
  randomesque: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'adaptive: choose among this many most informative items (default 1)' })),
  sympsonHetter: Type.Optional(Type.Record(Uuid, Type.Number({ minimum: 0, maximum: 1 }), { maxProperties: 1000, description: 'adaptive: Sympson-Hetter K per item id; 1 for items not listed' })),
  contentTargets: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Number({ minimum: 0, maximum: 1000 }), { minProperties: 1, maxProperties: 20, description: 'adaptive: share of items per topic' })),
  pretestRate: Type.Optional(Type.Number({ minimum: 0, maximum: 0.5, description: 'adaptive: chance that a step gives an unscored pretest item instead' })),
  rapidGuesses: Type.Optional(RapidGuesses),
  stopping: Type.Optional(Stopping)
}, { additionalProperties: false })
export type ExamInput = Static<typeof ExamInput>

/** A checked exam before it is stored: its definition (without the ids it gets when stored) and its title. */
export type ExamPlan = Omit<ExamDefinition, 'id' | 'organizationId'> & { title: string }

const ADAPTIVE_ONLY = ['subject', 'topics', 'startTheta', 'randomesque', 'sympsonHetter', 'contentTargets', 'pretestRate'] as const

/** The exam as stored, or the reasons it cannot be. */
export function planExam (input: ExamInput): ExamPlan {
  const problems: ErrorDetail[] = []
  const stopping = input.stopping ?? {}
  const timeLimit = stopping.timeLimitSeconds === undefined ? {} : { timeLimitSeconds: stopping.timeLimitSeconds }
  if (input.kind === 'fixed') {
    if (input.itemIds === undefined) problems.push({ path: 'itemIds', message: 'a fixed exam lists its items' })
    for (const field of ADAPTIVE_ONLY) if (input[field] !== undefined) problems.push({ path: field, message: 'only an adaptive exam has it' })
    for (const field of ['minItems', 'maxItems', 'seTarget'] as const) if (stopping[field] !== undefined) problems.push({ path: `stopping.${field}`, message: 'a fixed exam ends after its last item' })
    if (problems.length > 0) throw new ExamInvalidError(problems)
    const itemIds = input.itemIds!
    return {
      title: input.title.trim(),
      kind: 'fixed',
      subject: null,
      topics: [],
      itemIds,
      settings: { estimator: input.estimator ?? 'EAP', startTheta: 0, randomesque: 1, pretestRate: 0, rapidGuesses: input.rapidGuesses ?? 'count' },
      stopping: { minItems: itemIds.length, maxItems: itemIds.length, ...timeLimit }
    }
  }
  if (input.itemIds !== undefined) problems.push({ path: 'itemIds', message: 'an adaptive exam draws from a pool; name its subject instead' })
  if (input.subject === undefined) problems.push({ path: 'subject', message: 'an adaptive exam draws from the items of a subject' })
  if (stopping.maxItems === undefined) problems.push({ path: 'stopping.maxItems', message: 'an adaptive exam needs a maximum length' })
  const rules = { minItems: stopping.minItems ?? 0, maxItems: stopping.maxItems ?? MAX_EXAM_ITEMS, ...(stopping.seTarget === undefined ? {} : { seTarget: stopping.seTarget }) }
  try { validateStoppingRules(rules) } catch (err) { problems.push({ path: 'stopping', message: (err as Error).message }) }
  if (problems.length > 0) throw new ExamInvalidError(problems)
  return {
    title: input.title.trim(),
    kind: 'adaptive',
    subject: input.subject!.trim(),
    topics: input.topics ?? [],
    itemIds: [],
    settings: {
      estimator: input.estimator ?? 'EAP',
      startTheta: input.startTheta ?? 0,
      randomesque: input.randomesque ?? 1,
      ...(input.sympsonHetter === undefined ? {} : { sympsonHetter: input.sympsonHetter }),
      ...(input.contentTargets === undefined ? {} : { contentTargets: input.contentTargets }),
      pretestRate: input.pretestRate ?? 0,
      rapidGuesses: input.rapidGuesses ?? 'count'
    },
    stopping: { ...rules, ...timeLimit }
  }
}
