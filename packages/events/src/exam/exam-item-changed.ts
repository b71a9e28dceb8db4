// Published by exam whenever an item is created, imported, edited or changes status: its metadata and IRT
// parameters, never its stem, options or key. Analytics keeps them to compare what an item does with what
// its parameters predict, and to know which items are pretest items to calibrate.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

const Uuid = Type.String({ format: 'uuid' })

export const ItemStatus = Type.Union([Type.Literal('draft'), Type.Literal('pretest'), Type.Literal('active'), Type.Literal('retired')])

export const examItemChangedV1 = defineEvent({
  type: 'exam.item.changed',
  version: 1,
  producer: 'exam',
  description: 'An item was created, imported, edited or changed status. Carries its subject, topics, status, type, score categories and IRT parameters (logistic metric, D = 1), never the stem, the options or the key. Each event is the whole current state, so the latest one wins.',
  data: Type.Object({
    itemId: Uuid,
    organizationId: Uuid,
    subject: Type.String(),
    topics: Type.Array(Type.String()),
    status: ItemStatus,
    a: Type.Number(),
    b: Type.Number(),
    c: Type.Number(),
    d: Type.Number(),
    type: Type.Optional(Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('numeric'), Type.Literal('text'), Type.Literal('rating')], { description: 'how the item is answered; absent means single' })),
    categories: Type.Optional(Type.Integer({ minimum: 2, description: 'score categories 0..categories-1 (2: right/wrong); absent means 2' })),
    irt: Type.Optional(Type.Object({
      model: Type.Union([Type.Literal('GRM'), Type.Literal('GPCM'), Type.Literal('PCM'), Type.Literal('RSM')]),
      a: Type.Optional(Type.Number()),
      b: Type.Optional(Type.Array(Type.Number())),
      lambda: Type.Optional(Type.Number()),
      delta: Type.Optional(Type.Array(Type.Number()))
    }, { additionalProperties: false, description: 'a polytomous item\'s model and parameters in catR\'s layout; a and b above then summarise it (discrimination, mean location)' })),
    changedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type ExamItemChangedV1 = DataOf<typeof examItemChangedV1>
