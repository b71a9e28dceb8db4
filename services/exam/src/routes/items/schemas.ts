// Item bank requests and answers. Only teachers and admins reach these routes, so items carry their key
// and parameters here.
import { Type } from 'typebox'
import { ItemInput, ItemPatch, ItemStatus, ItemType, Polytomous, Scoring, itemFields } from '../../domain/item-input.js'
import { DateTime, IdParams, Uuid, errors, pageQuery } from '../shared-schemas.js'

export const Item = Type.Object({
  id: Uuid,
  organizationId: Uuid,
  authorId: Uuid,
  type: ItemType,
  ref: Type.Union([Type.String(), Type.Null()]),
  stem: Type.String(),
  options: Type.Array(Type.String()),
  correctIndex: Type.Union([Type.Integer(), Type.Null()], { description: 'single items' }),
  key: Type.Union([Type.Object({
    correctIndices: Type.Optional(Type.Array(Type.Integer())),
    scoring: Type.Optional(Scoring),
    value: Type.Optional(Type.Number()),
    tolerance: Type.Optional(Type.Number()),
    values: Type.Optional(Type.Array(Type.Number())),
    accepted: Type.Optional(Type.Array(Type.String()))
  }), Type.Null()], { description: 'multiple: correctIndices and scoring; numeric: value and tolerance, or values; text: accepted' }),
  subject: Type.String(),
  topics: Type.Array(Type.String()),
  a: Type.Number(),
  b: Type.Number(),
  c: Type.Number(),
  d: Type.Number(),
  irt: Type.Union([Polytomous, Type.Null()]),
  passageId: Type.Union([Uuid, Type.Null()]),
  passagePosition: Type.Union([Type.Integer(), Type.Null()]),
  enemyIds: Type.Array(Uuid),
  status: ItemStatus,
  createdAt: DateTime,
  updatedAt: DateTime
})

export const createItemSchema = {
  body: ItemInput,
  response: { 201: Item, ...errors }
}

export const listItemsSchema = {
  querystring: Type.Object({
    ...pageQuery,
    subject: Type.Optional(itemFields.subject),
    topic: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(ItemStatus)
  }, { additionalProperties: false }),
  response: { 200: Type.Object({ items: Type.Array(Item), nextCursor: Type.Union([Uuid, Type.Null()]) }), ...errors }
}

export const exportItemsSchema = {
  description: 'The organization\'s items (of a subject and status, if given) as a QTI 3.0 package (application/zip): each item with its passage and its enemies among those exported, and our fields (ref, subject, topics, status, IRT parameters) in each resource\'s metadata, so importing it gives the same items. At most the import\'s item cap (413 beyond).',
  querystring: Type.Object({
    format: Type.Literal('qti3'),
    subject: Type.Optional(itemFields.subject),
    status: Type.Optional(ItemStatus)
  }, { additionalProperties: false }),
  response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the package (application/zip)' }), ...errors }
}

export const getItemSchema = {
  params: IdParams,
  response: { 200: Item, ...errors }
}

export const updateItemSchema = {
  params: IdParams,
  body: ItemPatch,
  response: { 200: Item, ...errors }
}

export const importItemsSchema = {
  description: 'Imports items and passages all at once or not at all. The body is JSON lines (application/x-ndjson: one item object per line, as POST /exam/items takes, or a passage {"kind":"passage","ref","title"?,"stimulus"}), CSV (text/csv: a header line naming the columns, services/exam/README.md#importing) or a QTI 3.0 package (application/zip; ?subject= names the subject of items whose package does not carry ours). Every rejected line is reported in error.details as {path: "line N" (a QTI package: "item <identifier>" or the file), message}, up to 100 (reading stops there); more than the item cap is 413.',
  querystring: Type.Object({ subject: Type.Optional(itemFields.subject) }, { additionalProperties: false }),
  response: { 201: Type.Object({ imported: Type.Integer() }), ...errors }
}
