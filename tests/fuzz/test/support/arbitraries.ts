// fast-check arbitraries read from a route's JSON Schemas: values of the right shape (so requests get past
// validation and reach the handlers and the database), the same values at and past their bounds, and values
// of the wrong kind altogether (types, huge and odd strings, prototype-pollution keys).
import fc from 'fast-check'
import type { Schema } from './openapi.js'

/** Values the fuzzer mixes in so that some requests name things that exist. */
export interface Known {
  uuids: string[]
  emails: string[]
  strings: string[]
}

/** Percent-encodes any string: a lone surrogate (which encodeURIComponent refuses) becomes the bytes of one, not valid UTF-8. */
export function encodeAny (v: string): string {
  try { return encodeURIComponent(v) } catch { return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd')).replace(/%EF%BF%BD/g, '%ED%A0%80') }
}

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const

/** An object with these own keys, "__proto__" included (a literal or an assignment would set the prototype instead). */
export function ownObject (entries: Array<[string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true })
  return o
}

const ODD_STRINGS = [
  '', ' ', '\t', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\u202eevil', '\ufeff', 'e\u0301', '𝕏𝕐𝕫', '👩‍👩‍👧‍👦', 'ß', 'İ',
  '<script>alert(1)</script>', '\' or 1=1 --', '"; drop table users; --', '${7*7}', '{{7*7}}', '../../etc/passwd', '%00', '%', '\\', '"',
  'null', 'undefined', 'true', '0', '-1', '1e309', 'NaN', 'Infinity', '__proto__', 'constructor', '[object Object]', 'toString', 'hasOwnProperty'
]

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(300, 5_000, 70_000).chain((n) => fc.constantFrom('x', 'é', '😀', '\u0000').map((c) => c.repeat(n))) }
)

export const oddNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53 + 1, -(2 ** 53) - 1, 1e308, -1e308, 5e-324, 1e-7),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer()
)

const jsonScalar = fc.oneof(fc.constant(null), fc.boolean(), oddNumber, oddString)

/** Any value of the wrong kind, objects with prototype-pollution keys among them. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: jsonScalar },
  { weight: 1, arbitrary: fc.array(jsonScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), jsonScalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.constantFrom<unknown>({ isAdmin: true, role: 'admin' }, { prototype: { isAdmin: true } }, 'admin', null)).map(([k, v]) => ownObject([[k, v]])) }
)

const isRegexSafe = (pattern: string): RegExp | undefined => { try { return new RegExp(pattern, 'u') } catch { try { return new RegExp(pattern) } catch { return undefined } } }

function stringOf (s: Schema, known: Known): fc.Arbitrary<string> {
  const min = (s.minLength as number | undefined) ?? 0
  const max = Math.min((s.maxLength as number | undefined) ?? 60, 300)
  const fits = (v: string): boolean => v.length >= min && v.length <= ((s.maxLength as number | undefined) ?? Infinity)
  if (s.format === 'uuid') return known.uuids.length > 0 ? fc.oneof(fc.uuid(), fc.constantFrom(...known.uuids)) : fc.uuid()
  if (s.format === 'email') {
    const generated = fc.emailAddress().filter(fits)
    return known.emails.length > 0 ? fc.oneof(generated, fc.constantFrom(...known.emails)) : generated
  }
  const pattern = typeof s.pattern === 'string' ? isRegexSafe(s.pattern) : undefined
  const base = pattern === undefined
    ? fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(max, 40)) })
    : fc.stringMatching(pattern, { size: 'small' }).filter(fits)
  const fromKnown = known.strings.filter((k) => fits(k) && (pattern === undefined || pattern.test(k)))
  return fromKnown.length > 0 ? fc.oneof({ weight: 3, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...fromKnown) }) : base
}

function numberOf (s: Schema, integer: boolean): fc.Arbitrary<number> {
  const lo = (s.minimum as number | undefined) ?? (s.exclusiveMinimum as number | undefined) ?? -1e6
  const hi = (s.maximum as number | undefined) ?? (s.exclusiveMaximum as number | undefined) ?? 1e6
  if (integer) return fc.integer({ min: Math.ceil(lo + (s.exclusiveMinimum !== undefined ? 1 : 0)), max: Math.floor(hi - (s.exclusiveMaximum !== undefined ? 1 : 0)) })
  return fc.double({ min: lo, max: hi, minExcluded: s.exclusiveMinimum !== undefined, maxExcluded: s.exclusiveMaximum !== undefined, noNaN: true, noDefaultInfinity: true })
}

/** A value the schema accepts (best effort: formats and patterns it knows). */
export function validOf (s: Schema | undefined, known: Known, depth = 0): fc.Arbitrary<unknown> {
  if (s === undefined || depth > 4) return fc.jsonValue({ maxDepth: 1 })
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Schema[]).map((x) => validOf(x, known, depth + 1)))
  if (Array.isArray(s.oneOf)) return fc.oneof(...(s.oneOf as Schema[]).map((x) => validOf(x, known, depth + 1)))
  if (s.const !== undefined) return fc.constant(s.const)
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]))
  switch (s.type) {
    case 'string': return stringOf(s, known)
    case 'integer': return numberOf(s, true)
    case 'number': return numberOf(s, false)
    case 'boolean': return fc.boolean()
    case 'null': return fc.constant(null)
    case 'array': {
      const minLength = (s.minItems as number | undefined) ?? 0
      const maxLength = Math.min((s.maxItems as number | undefined) ?? 4, minLength + 4)
      const items = validOf(s.items as Schema | undefined, known, depth + 1)
      return s.uniqueItems === true ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(items, { minLength, maxLength })
    }
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, Schema>
      const record = fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, validOf(v, known, depth + 1)])), { requiredKeys: (s.required ?? []) as never[] })
      const extra = s.additionalProperties
      if (typeof extra !== 'object' || extra === null) return record
      const minKeys = (s.minProperties as number | undefined) ?? 0
      const extras = fc.dictionary(fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom(...known.uuids.slice(0, 5), 'algebra')), validOf(extra as Schema, known, depth + 1), { minKeys, maxKeys: Math.min((s.maxProperties as number | undefined) ?? 4, minKeys + 4) })
      return fc.tuple(record, extras).map(([a, b]) => ({ ...b, ...a }))
    }
  }
  return fc.jsonValue({ maxDepth: 1 })
}

/** Values at and just past a schema's bounds. */
export function boundaryOf (s: Schema | undefined, known: Known): fc.Arbitrary<unknown> {
  if (s === undefined) return wrongValue
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Schema[]).map((x) => boundaryOf(x, known)))
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]).flatMap((v) => typeof v === 'string' ? [v.toUpperCase(), ` ${v}`, `${v}\u0000`, `${v}s`] : [v]))
  switch (s.type) {
    case 'string': {
      const lengths = [(s.minLength ?? 0) - 1, s.minLength, s.maxLength, (s.maxLength ?? 0) + 1].filter((n): n is number => typeof n === 'number' && n >= 0)
      return fc.oneof(
        fc.tuple(fc.constantFrom(...(lengths.length > 0 ? lengths : [0])), fc.constantFrom('a', ' ', 'é', '😀', '\u0000', '\n')).map(([n, c]) => c.repeat(n)),
        s.format === 'uuid' ? fc.constantFrom('00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '{00000000-0000-0000-0000-000000000000}', '00000000000000000000000000000000', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', ...known.uuids.slice(0, 2).map((u) => u.toUpperCase()), ...known.uuids.slice(0, 2).map((u) => `${u} `)) : fc.constant(''),
        s.format === 'email' ? fc.constantFrom('a@b', '@example.org', 'a@', 'a@@b.org', 'a b@c.org', `${'a'.repeat(64)}@${'b'.repeat(185)}.org`, 'ÄNN@EXAMPLE.ORG', 'a@b.org\u0000', ...known.emails.slice(0, 2).map((e) => e.toUpperCase()), ...known.emails.slice(0, 2).map((e) => ` ${e} `)) : fc.constant(' ')
      )
    }
    case 'integer':
    case 'number': {
      const points = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter((n): n is number => typeof n === 'number')
      return fc.constantFrom(...points.flatMap((p) => [p, p - 1, p + 1, p - 1e-9, p + 1e-9, p + 0.5]), ...(s.type === 'integer' ? [1.5, 1e21] : [1e308]))
    }
    case 'array': {
      const item = validOf(s.items as Schema | undefined, known)
      const lengths = [(s.minItems ?? 0) - 1, s.maxItems, (s.maxItems ?? 0) + 1, 1000].filter((n): n is number => typeof n === 'number' && n >= 0)
      return fc.oneof(
        fc.constantFrom(...lengths).chain((n) => fc.array(item, { minLength: n, maxLength: n })),
        item.map((v) => [v, v])
      )
    }
    case 'object': return fc.constantFrom({}, ownObject([['__proto__', {}]]), Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 0.5])))
  }
  return wrongValue
}

type Mutation = (o: Record<string, unknown>) => Record<string, unknown>

/** A valid object with one to three things wrong with it. */
export function mutatedObject (s: Schema, known: Known): fc.Arbitrary<unknown> {
  const properties = (s.properties ?? {}) as Record<string, Schema>
  const names = Object.keys(properties)
  const required = (s.required ?? []) as string[]
  const copyWith = (o: Record<string, unknown>, k: string, v: unknown): Record<string, unknown> => ownObject([...Object.entries(o).filter(([key]) => key !== k), [k, v]])
  const mutations: Array<fc.Arbitrary<Mutation>> = [
    fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 12 }), fc.constantFrom('isAdmin', 'role', 'id', 'organizationId', 'emailVerifiedAt')), wrongValue).map(([k, v]) => (o) => copyWith(o, k, v))
  ]
  if (names.length > 0) {
    mutations.push(fc.tuple(fc.constantFrom(...names), wrongValue).map(([k, v]) => (o) => copyWith(o, k, v)))
    mutations.push(fc.constantFrom(...names).chain((k) => boundaryOf(properties[k], known).map((v) => (o: Record<string, unknown>) => copyWith(o, k, v))))
    mutations.push(fc.constantFrom(...names).chain((k) => mutatedOrValid(properties[k], known).map((v) => (o: Record<string, unknown>) => copyWith(o, k, v))))
  }
  if (required.length > 0) mutations.push(fc.constantFrom(...required).map((k) => (o) => ownObject(Object.entries(o).filter(([key]) => key !== k))))
  return fc.tuple(validOf(s, known), fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }))
    .map(([value, ms]) => ms.reduce((o, m) => m(o), (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as Record<string, unknown>))
}

function mutatedOrValid (s: Schema | undefined, known: Known): fc.Arbitrary<unknown> {
  if (s?.type === 'object') return fc.oneof(validOf(s, known), mutatedObject(s, known))
  if (s?.type === 'array') return fc.array(fc.oneof(validOf(s.items as Schema | undefined, known), wrongValue), { maxLength: 4 })
  return fc.oneof(validOf(s, known), boundaryOf(s, known), wrongValue)
}

/** A JSON document for a body of this schema: mostly the right shape, often slightly wrong, sometimes anything. */
export function jsonBodyValue (s: Schema | undefined, known: Known): fc.Arbitrary<unknown> {
  if (s === undefined) return fc.oneof(fc.constant({}), wrongValue)
  return fc.oneof(
    { weight: 4, arbitrary: validOf(s, known) },
    { weight: 5, arbitrary: s.type === 'object' ? mutatedObject(s, known) : boundaryOf(s, known) },
    { weight: 1, arbitrary: wrongValue }
  )
}

/** Text that is not the JSON it claims to be, or JSON bent at its edges. */
export function malformedJson (valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('', ' ', '{', '}', '[', '{"a":', '{"a":1}}', '[1,2', 'undefined', 'NaN', '{\'a\':1}', '{"a":NaN}', '{"a":Infinity}', '{a:1}', '\ufeff{}', '{"a":"\\ud800"}',
      '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}', '{"a":1,"a":2}', '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}', '1'.repeat(400), '"' + 'x'.repeat(70_000) + '"', '\u0000', '{"a":"\u0000"}'),
    fc.tuple(valid, fc.nat()).map(([v, n]) => { const text = JSON.stringify(v) ?? 'null'; return text.slice(0, n % Math.max(1, text.length)) }),
    valid.map((v) => (JSON.stringify(v) ?? 'null') + ' trailing')
  )
}
