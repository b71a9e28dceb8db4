// Outgoing: the event every change to an item writes to the outbox: its subject, topics, status and parameters, the
// whole current state, so a subscriber keeps the latest and never needs the stem, the options or the key.
import { examItemChangedV1, newEnvelope, outboxRow, type Envelope, type OutboxRow } from '@dreamseed/events'
import type { PolytomousParameters } from '@dreamseed/schema/exam'
import type { ItemContent, ItemStatus, ItemType } from './item-input.js'
import { scoreCategories } from './scoring.js'
import type { RequestContext } from './model.js'

export interface ItemState {
  id: string
  organizationId: string
  subject: string
  topics: string[]
  status: ItemStatus
  a: number
  b: number
  c: number
  d: number
  type: ItemType
  irt: PolytomousParameters | null
  /** What scoring needs to count the item's categories. */
  options: string[]
  key: ItemContent['key']
}

export const itemChanged = (item: ItemState, now: Date, context: RequestContext = {}): Envelope => newEnvelope(examItemChangedV1, {
  itemId: item.id,
  organizationId: item.organizationId,
  subject: item.subject,
  topics: item.topics,
  status: item.status,
  a: item.a,
  b: item.b,
  c: item.c,
  d: item.d,
  type: item.type,
  categories: scoreCategories({ type: item.type, key: item.key, optionCount: item.options.length }),
  ...(item.irt === null ? {} : { irt: item.irt }),
  changedAt: now.toISOString()
}, context.requestId === undefined ? { now } : { now, requestId: context.requestId })

export const itemChangedRow = (item: ItemState, now: Date, context: RequestContext = {}): OutboxRow => outboxRow(itemChanged(item, now, context), item.id)
