// Published by analytics when a teacher or admin promotes a calibrated pretest item: exam makes the item
// active with these parameters. The standard errors and sample size travel with it for the record.
import { Type } from 'typebox'
import { defineEvent, type DataOf } from '../envelope.js'

const Uuid = Type.String({ format: 'uuid' })

export const analyticsItemPromotedV1 = defineEvent({
  type: 'analytics.item.promoted',
  version: 1,
  producer: 'analytics',
  description: 'A calibrated pretest item was promoted to active with the parameters estimated from its responses (logistic metric, D = 1; d stays 1). exam applies them.',
  data: Type.Object({
    itemId: Uuid,
    organizationId: Uuid,
    a: Type.Number({ exclusiveMinimum: 0, maximum: 5 }),
    b: Type.Number({ minimum: -6, maximum: 6 }),
    c: Type.Number({ minimum: 0, exclusiveMaximum: 0.5 }),
    seA: Type.Union([Type.Number(), Type.Null()]),
    seB: Type.Union([Type.Number(), Type.Null()]),
    seC: Type.Union([Type.Number(), Type.Null()]),
    sampleSize: Type.Integer({ minimum: 1 }),
    promotedBy: Uuid,
    promotedAt: Type.String({ format: 'date-time' })
  }, { additionalProperties: false })
})

export type AnalyticsItemPromotedV1 = DataOf<typeof analyticsItemPromotedV1>
