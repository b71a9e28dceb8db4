// The versioning rule, enforced: within a version a contract may only gain optional fields (and change its
// descriptions). Anything else (a field removed, renamed, retyped, made required or no longer required, a
// value no longer or newly allowed) breaks subscribers and needs a new version published beside the old one.
import type { JsonSchema } from './json-schema.js'

const DOCUMENTATION = new Set(['description', 'title', 'examples', '$comment', '$id', '$schema', 'x-producer'])

type Node = Record<string, unknown>

const isObject = (v: unknown): v is Node => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The problems that make `next` incompatible with `previous`; empty when subscribers of `previous` keep working. */
export function incompatibilities (previous: JsonSchema, next: JsonSchema, path = ''): string[] {
  const problems: string[] = []
  const where = path === '' ? '/' : path
  const keys = new Set([...Object.keys(previous), ...Object.keys(next)].filter((k) => !DOCUMENTATION.has(k)))
  for (const key of keys) {
    const before = previous[key]
    const after = next[key]
    if (key === 'properties') {
      const oldProps = isObject(before) ? before : {}
      const newProps = isObject(after) ? after : {}
      const required = new Set((next.required as string[] | undefined) ?? [])
      for (const name of Object.keys(oldProps)) {
        if (!(name in newProps)) problems.push(`${path}/${name}: removed`)
        else problems.push(...incompatibilities(oldProps[name] as Node, newProps[name] as Node, `${path}/${name}`))
      }
      for (const name of Object.keys(newProps)) {
        if (!(name in oldProps) && required.has(name)) problems.push(`${path}/${name}: added as required (a new field must be optional)`)
      }
    } else if (key === 'required') {
      const oldRequired = new Set((before as string[] | undefined) ?? [])
      const newRequired = new Set((after as string[] | undefined) ?? [])
      const oldProps = isObject(previous.properties) ? previous.properties : {}
      for (const name of oldRequired) if (!newRequired.has(name)) problems.push(`${path}/${name}: no longer required`)
      for (const name of newRequired) if (!oldRequired.has(name) && name in oldProps) problems.push(`${path}/${name}: made required`)
    } else if (key === 'items' && isObject(before) && isObject(after)) {
      problems.push(...incompatibilities(before, after, `${path}[]`))
    } else if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(before) && Array.isArray(after)) {
      if (before.length !== after.length) problems.push(`${where}: ${key} changed from ${before.length} to ${after.length} alternatives`)
      else before.forEach((b, i) => problems.push(...incompatibilities(b as Node, after[i] as Node, `${path}<${i}>`)))
    } else if (JSON.stringify(canonical(before)) !== JSON.stringify(canonical(after))) {
      problems.push(`${where}: ${key} changed from ${JSON.stringify(before)} to ${JSON.stringify(after)}`)
    }
  }
  return problems
}

function canonical (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (!isObject(value)) return value
  return Object.fromEntries(Object.keys(value).filter((k) => !DOCUMENTATION.has(k)).sort().map((k) => [k, canonical(value[k])]))
}
