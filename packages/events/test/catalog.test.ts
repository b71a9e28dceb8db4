// The catalog other teams rely on: one committed JSON Schema per event version that every change must stay
// compatible with, and an AsyncAPI document that matches the contracts.
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { asyncApiDocument, CATALOG, examSessionCompletedV1, incompatibilities, newEnvelope, schemaFileName, subscriberSchema, userCreatedV1, type JsonSchema } from '../src/index.js'

const root = join(import.meta.dirname, '..')
const committed = (file: string): JsonSchema => JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as JsonSchema

t.test('every event version keeps its committed JSON Schema: changes within a version are compatible, and the file is current', async (t) => {
  const files = new Set(readdirSync(join(root, 'schemas')))
  for (const contract of CATALOG) {
    const file = schemaFileName(contract)
    if (!files.has(file)) { t.fail(`${file} is not committed: run pnpm --filter @dreamseed/events run catalog`); continue }
    const current = subscriberSchema(contract)
    t.same(incompatibilities(committed(file), current), [], `${file}: compatible with the committed version (a breaking change needs a new version)`)
    t.same(current, committed(file), `${file}: committed file is current (run the catalog command)`)
    files.delete(file)
  }
  t.same([...files], [], 'no committed version has lost its contract (versions are retired, not deleted, while subscribers read them)')
})

t.test('the committed AsyncAPI document is generated from the contracts, and its references resolve', async (t) => {
  const doc = asyncApiDocument() as { asyncapi: string, channels: Record<string, { address: string, messages: Record<string, { $ref: string }> }>, operations: Record<string, { action: string, channel: { $ref: string }, messages: Array<{ $ref: string }> }>, components: { messages: Record<string, { payload: { $ref: string } }>, schemas: Record<string, unknown> } }
  t.same(JSON.parse(readFileSync(join(root, 'asyncapi.json'), 'utf8')), doc, 'asyncapi.json is current')
  t.equal(doc.asyncapi, '3.0.0')
  t.equal(Object.keys(doc.channels).length, CATALOG.length, 'a channel per event version')
  const resolve = (ref: string): unknown => ref.slice(2).split('/').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc)
  for (const [name, channel] of Object.entries(doc.channels)) {
    t.match(channel.address, /^\{prefix\}\.[a-z_.]+\.v\d+$/)
    for (const m of Object.values(channel.messages)) t.ok(resolve(m.$ref), `${name}: ${m.$ref}`)
  }
  for (const [name, op] of Object.entries(doc.operations)) {
    t.equal(op.action, 'send')
    t.ok(resolve(op.channel.$ref), `${name}: channel`)
    for (const m of op.messages) t.ok(resolve(m.$ref), `${name}: ${m.$ref}`)
  }
  for (const m of Object.values(doc.components.messages)) t.ok(resolve(m.payload.$ref))
  const exam = asyncApiDocument({ producer: 'exam' }) as { channels: Record<string, unknown> }
  t.same(Object.keys(exam.channels).sort(), CATALOG.filter((c) => c.producer === 'exam').map((c) => `${c.type}.v${c.version}`).sort(), 'a service serves its own events')
})

t.test('a subscriber validating with the published schema accepts real events and fields added later, and refuses broken ones', async (t) => {
  const compile = (schema: JsonSchema) => { const ajv = new Ajv2020({ strict: false, allErrors: true }); addFormats.default(ajv); return ajv.compile(schema) }
  for (const contract of CATALOG) t.ok(compile(subscriberSchema(contract)), `${contract.type} compiles`)
  const validate = compile(committed(schemaFileName(userCreatedV1)))
  const e = newEnvelope(userCreatedV1, { userId: '01936f3e-1c1a-7cc0-9b4e-0d9b6a1c2f10', email: 'ann@example.org', displayName: 'Ann', role: 'student', verification: { sealedToken: 'abc', expiresAt: new Date().toISOString() } })
  t.ok(validate(e), 'a real event')
  t.ok(validate({ ...e, data: { ...e.data, addedLater: 1 } }), 'a field added within the version')
  t.notOk(validate({ ...e, data: { ...e.data, email: 'nope' } }), 'a broken field')
  const { userId: _, ...missing } = e.data
  t.notOk(validate({ ...e, data: missing }), 'a missing required field')
  t.notOk(compile(committed(schemaFileName(examSessionCompletedV1)))({ ...e, type: 'exam.session.completed' }), 'another event\'s data')
})

t.test('the compatibility rule: only optional additions and documentation may change within a version', async (t) => {
  const base: JsonSchema = { type: 'object', required: ['a', 'b'], properties: { a: { type: 'string', format: 'uuid' }, b: { anyOf: [{ const: 'x' }, { const: 'y' }] }, c: { type: 'integer', minimum: 0 }, list: { type: 'array', items: { type: 'object', required: ['k'], properties: { k: { type: 'string' } } } } } }
  const props = base.properties as Record<string, JsonSchema>
  const change = (f: (s: JsonSchema & { properties: Record<string, JsonSchema>, required: string[] }) => void): JsonSchema => { const copy = structuredClone(base) as JsonSchema & { properties: Record<string, JsonSchema>, required: string[] }; f(copy); return copy }
  t.same(incompatibilities(base, base), [])
  t.same(incompatibilities(base, change((s) => { s.properties.d = { type: 'string' } })), [], 'an optional field added')
  t.same(incompatibilities(base, change((s) => { s.properties.a = { ...props.a, description: 'the id' } })), [], 'a description changed')
  t.match(incompatibilities(base, change((s) => { s.properties.d = { type: 'string' }; s.required.push('d') })), [/\/d: added as required/])
  t.match(incompatibilities(base, change((s) => { delete s.properties.c })), [/\/c: removed/])
  t.match(incompatibilities(base, change((s) => { s.properties.c = { type: 'number', minimum: 0 } })), [/\/c: type changed/])
  t.match(incompatibilities(base, change((s) => { s.properties.c = { type: 'integer', minimum: 1 } })), [/\/c: minimum changed/])
  t.match(incompatibilities(base, change((s) => { s.required = ['a'] })), [/\/b: no longer required/])
  t.match(incompatibilities(base, change((s) => { s.required.push('c') })), [/\/c: made required/])
  t.match(incompatibilities(base, change((s) => { s.properties.b = { anyOf: [{ const: 'x' }, { const: 'y' }, { const: 'z' }] } })), [/\/b: anyOf changed from 2 to 3/], 'a new value subscribers do not know')
  t.match(incompatibilities(base, change((s) => { s.properties.list = { type: 'array', items: { type: 'object', required: ['k'], properties: { k: { type: 'integer' } } } } })), [/\/list\[\]\/k: type changed/])
})
