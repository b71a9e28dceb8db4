// Values for the route walk, read from a route's JSON Schemas: the smallest value a schema accepts (so a walked
// request gets past validation and reaches the handler's checks), and a fresh value of the same format that
// names nothing (the "does not exist" side of each comparison).
import { randomBytes } from 'node:crypto'

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON Schema as the OpenAPI document gives it
export type JsonSchema = Record<string, any>

export class UnfillableError extends Error {}

const regexOf = (pattern: string): RegExp => { try { return new RegExp(pattern, 'u') } catch { return new RegExp(pattern) } }

/** A UUIDv7 (the services make v7 ids), random but for its timestamp. */
export function freshUuid (): string {
  const b = randomBytes(16)
  b.writeUIntBE(Date.now(), 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The schemas a union offers, or the schema itself (TypeBox writes literals and nullables as anyOf). */
const alternatives = (s: JsonSchema): JsonSchema[] => (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined ?? [s]

const typeOf = (s: JsonSchema): string | undefined => {
  if (Array.isArray(s.type)) return (s.type as string[]).find((t) => t !== 'null')
  if (s.type !== undefined) return s.type as string
  if (s.properties !== undefined) return 'object'
  return undefined
}

/** Strings that fit a schema: letters (varied by `n`, so unique items differ), then digits, then bound by length. */
function stringOf (s: JsonSchema, n: number, fresh: boolean): string {
  if (s.format === 'uuid') return freshUuid()
  if (s.format === 'email') return fresh ? `nobody-${randomBytes(6).toString('hex')}@example.org` : `walk${n}@example.org`
  if (s.format === 'date-time') return new Date().toISOString()
  if (s.format === 'date') return new Date().toISOString().slice(0, 10)
  if (s.format !== undefined && s.format !== 'regex') throw new UnfillableError(`no value for format ${String(s.format)}`)
  const min = Math.max((s.minLength as number | undefined) ?? 0, 1)
  const max = (s.maxLength as number | undefined) ?? Math.max(min, 64)
  const pattern = typeof s.pattern === 'string' ? regexOf(s.pattern) : undefined
  const seed = fresh ? randomBytes(24).toString('hex').replace(/\d/g, '') : ''
  const stems = [`${seed}${String.fromCharCode(97 + (n % 26))}`, `${seed}${n}`, `${seed}A${n}`]
  for (let length = min; length <= Math.min(max, min + 64); length++) {
    for (const stem of stems) {
      const candidate = stem.padEnd(length, stem.at(-1)).slice(-length)
      if (pattern === undefined || pattern.test(candidate)) return candidate
    }
  }
  throw new UnfillableError(`no string of length ${min} to ${max} matching ${String(s.pattern)}`)
}

/** The lowest number allowed (an index, a count); above an exclusive minimum, halfway to the top. */
function numberOf (s: JsonSchema, integer: boolean): number {
  const { minimum: min, maximum: max, exclusiveMinimum: xmin, exclusiveMaximum: xmax } = s as Record<string, number | undefined>
  if (integer) {
    const lo = min ?? (xmin === undefined ? undefined : Math.floor(xmin) + 1)
    const hi = max ?? (xmax === undefined ? undefined : Math.ceil(xmax) - 1)
    return lo !== undefined ? Math.ceil(lo) : hi !== undefined ? Math.floor(hi) : 0
  }
  if (min !== undefined) return min
  const top = max ?? xmax
  if (xmin !== undefined) return top !== undefined ? (xmin + top) / 2 : xmin + 1
  return max ?? (xmax !== undefined ? xmax - 1 : 0)
}

/**
 * The smallest value the schema accepts: an object with its required properties, an array with its fewest
 * items, the first of an enum or union. `fill(path)` supplies a value for a property path (".itemIds"), or
 * undefined to let the schema decide.
 */
export function minimalValue (s: JsonSchema | undefined, path: string, fill: (path: string, s: JsonSchema) => unknown, n = 0): unknown {
  if (s === undefined) return {}
  const given = fill(path, s)
  if (given !== undefined) return given
  if (s.const !== undefined) return s.const
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0]
  const options = alternatives(s)
  if (options !== undefined && options.length > 0 && options[0] !== s) {
    const errors: string[] = []
    for (const option of options) {
      try { return minimalValue({ ...option, ...(option.type === undefined && s.type !== undefined ? { type: s.type } : {}) }, path, fill, n) } catch (err) { if (!(err instanceof UnfillableError)) throw err; errors.push(err.message) }
    }
    throw new UnfillableError(errors.join('; '))
  }
  switch (typeOf(s)) {
    case 'object': {
      const required = (s.required as string[] | undefined) ?? []
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>
      const out: Record<string, unknown> = {}
      for (const [key, schema] of Object.entries(properties)) {
        const value = required.includes(key) ? minimalValue(schema, `${path}.${key}`, fill, n) : fill(`${path}.${key}`, schema)
        if (value !== undefined) out[key] = value
      }
      // A patch wants at least one property: the first ones the schema lists.
      for (const [key, schema] of Object.entries(properties)) {
        if (Object.keys(out).length >= ((s.minProperties as number | undefined) ?? 0)) break
        if (!(key in out)) out[key] = minimalValue(schema, `${path}.${key}`, fill, n)
      }
      return out
    }
    case 'array': return Array.from({ length: (s.minItems as number | undefined) ?? 0 }, (_, i) => minimalValue(s.items as JsonSchema, `${path}[]`, fill, i))
    case 'string': return stringOf(s, n, false)
    case 'integer': return numberOf(s, true)
    case 'number': return numberOf(s, false)
    case 'boolean': return false
    case 'null': return null
    default: throw new UnfillableError(`no value for a schema of type ${String(s.type)}`)
  }
}

/** A value shaped like `value` (one the caller's map gave) that names nothing: fresh ids, a fresh address, a fresh string. */
export function freshLike (value: unknown, s: JsonSchema): unknown {
  if (Array.isArray(value)) return value.map((v) => freshLike(v, (s.items as JsonSchema | undefined) ?? {}))
  if (typeof value !== 'string') return value
  const schema = alternatives(s).find((o) => typeOf(o) === 'string') ?? s
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return freshUuid()
  if (schema.format === 'email' || /@/.test(value)) return `nobody-${randomBytes(6).toString('hex')}@example.org`
  return stringOf({ ...schema, minLength: Math.max(value.length, (schema.minLength as number | undefined) ?? 0) }, 0, true)
}
