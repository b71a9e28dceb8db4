// Whole requests for one documented route: path parameters (real ids, random UUIDs, things that are not UUIDs),
// a query string, a body in the right or a wrong content type, and a bearer token of some role or garbage.
import fc from 'fast-check'
import { boundaryOf, encodeAny, jsonBodyValue, malformedJson, oddString, PROTO_KEYS, validOf, wrongValue, type Known } from './arbitraries.js'
import type { Route, Schema } from './openapi.js'

export interface FuzzRequest {
  method: string
  url: string
  headers: Record<string, string>
  payload?: string
  /** Who sent it: a role's token, a garbage token, or nobody. */
  as: string
  /** A page people open in a browser: its refusals are pages too. */
  page?: boolean
  /** Well-formed: valid values and a role's token, so only the handler's own checks can refuse it. */
  clean?: boolean
}

export interface FuzzContext {
  known: Known
  /** Bearer tokens by role (valid, as the service would see them); read when a request is sent, so they can be renewed. */
  tokens: () => Record<string, string>
  /** Tokens the service must refuse (another key, tampered, expired, alg none...). */
  badTokens: string[]
  /** Bodies for routes whose content type the document does not describe (e.g. an import in NDJSON or CSV). */
  bodies?: Record<string, fc.Arbitrary<{ contentType: string, payload: string }>>
  /** Routes ("GET /auth/verify") that answer people with HTML pages, refusals included. */
  pages?: string[]
  /** Callers (token names) outside the school, and the school's ids: see outsiderViolation. */
  outsiders?: { callers: string[], ids: string[] }
}

const NOT_UUIDS = ['', ' ', '0', '-1', 'null', 'undefined', 'me', '..', '.', '%2e%2e', '%2F', '%00', '%', '%zz', '%E0%A4%A', 'ñ', '😀', '__proto__', 'constructor',
  '00000000-0000-0000-0000-00000000000', '00000000-0000-0000-0000-0000000000000', 'g0000000-0000-0000-0000-000000000000', '00000000000000000000000000000000',
  '{00000000-0000-0000-0000-000000000000}', '00000000-0000-0000-0000-000000000000%00', '1 or 1=1', 'a'.repeat(5000)]

/** Path segments already encoded (some deliberately not valid percent-encoding). */
function pathValue (schema: Schema, known: Known): fc.Arbitrary<string> {
  const enc = encodeAny
  const wanted = validOf(schema, known).map((v) => enc(String(v)))
  return fc.oneof(
    { weight: 5, arbitrary: known.uuids.length > 0 ? fc.constantFrom(...known.uuids) : fc.uuid() },
    { weight: 2, arbitrary: wanted },
    { weight: 1, arbitrary: fc.uuid().map((u) => u.toUpperCase()) },
    { weight: 2, arbitrary: fc.constantFrom(...NOT_UUIDS) },
    { weight: 2, arbitrary: oddString.map(enc) }
  )
}

const queryText = (v: unknown): string => typeof v === 'string' ? v : JSON.stringify(v) ?? ''

function queryString (route: Route, known: Known, clean: boolean): fc.Arbitrary<string> {
  const { properties, required } = route.query
  const names = Object.keys(properties)
  const one = (k: string, v: unknown): Array<[string, string]> => [[k, queryText(v)]]
  const entry = (k: string): fc.Arbitrary<Array<[string, string]>> => clean
    ? validOf(properties[k], known).map((v) => one(k, v))
    : fc.oneof(
      { weight: 3, arbitrary: validOf(properties[k], known).map((v) => one(k, v)) },
      { weight: 2, arbitrary: boundaryOf(properties[k], known).map((v) => one(k, v)) },
      { weight: 2, arbitrary: wrongValue.map((v) => one(k, v)) },
      { weight: 1, arbitrary: fc.tuple(validOf(properties[k], known), validOf(properties[k], known)).map(([a, b]) => [...one(k, a), ...one(k, b)]) }
    )
  const present = names.length === 0
    ? fc.constant([] as Array<[string, string]>)
    // A clean request always has its required parameters (an option would leave one out one time in a
    // thousand, and a well-formed request must not be refused for that); others leave them out now and then.
    : fc.tuple(...names.map((k) => required.includes(k) ? (clean ? entry(k) : fc.option(entry(k), { freq: 8 })) : fc.option(entry(k), { freq: 2 }))).map((es) => es.flatMap((e) => e ?? []))
  const strays = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS, '__proto__[isAdmin]', 'constructor[prototype][x]', 'a[]', ''), fc.string({ maxLength: 8 })), oddString), { minLength: 1, maxLength: 2 })
  const extra = clean ? fc.constant(null) : fc.option(strays, { freq: 2 })
  return fc.tuple(present, extra, fc.boolean()).map(([entries, more, raw]) => {
    const all = [...entries, ...(more ?? [])]
    if (all.length === 0) return ''
    // Mostly encoded as a client would; sometimes raw, so the parser sees stray % and & as they come.
    return '?' + all.map(([k, v]) => raw && !clean ? `${k}=${v.replace(/[#\s]/g, '')}` : `${encodeAny(k)}=${encodeAny(v)}`).join('&')
  })
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'application/json; charset=utf-16',
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/x-ndjson', 'text/csv', 'a/b/c', ';', 'application/vnd.api+json']

function form (v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v)
  return Object.entries(v).map(([k, x]) => `${encodeAny(k)}=${encodeAny(queryText(x))}`).join('&')
}

function bodyOf (route: Route, ctx: FuzzContext, clean: boolean): fc.Arbitrary<{ contentType?: string, payload?: string }> {
  const custom = ctx.bodies?.[`${route.method} ${route.path}`]
  const schema = route.body?.['application/json']
  if (clean && custom !== undefined) return custom
  if (clean && route.body !== undefined) return validOf(schema, ctx.known).map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) ?? 'null' }))
  if (clean) return fc.constant({})
  const value = jsonBodyValue(schema, ctx.known)
  const json = fc.oneof(
    { weight: 8, arbitrary: value.map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) ?? 'null' })) },
    { weight: 2, arbitrary: malformedJson(value).map((payload) => ({ contentType: 'application/json', payload })) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...CONTENT_TYPES), value).map(([contentType, v]) => ({ contentType, payload: contentType.includes('urlencoded') ? form(v) : JSON.stringify(v) ?? '' })) },
    { weight: 1, arbitrary: value.map((v) => ({ payload: JSON.stringify(v) ?? '' })) }
  )
  if (custom !== undefined) return fc.oneof({ weight: 3, arbitrary: custom }, { weight: 1, arbitrary: json })
  if (route.body !== undefined) return json
  // No body expected: mostly none, sometimes one anyway.
  return fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: json })
}

function caller (route: Route, ctx: FuzzContext, clean: boolean): fc.Arbitrary<string> {
  const roles = Object.keys(ctx.tokens())
  const bad = ctx.badTokens.map((_, i) => `bad:${i}`)
  if (clean) return route.secured ? fc.constantFrom(...roles) : fc.constant('nobody')
  return route.secured
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...roles) }, { weight: 2, arbitrary: fc.constantFrom(...bad) }, { weight: 1, arbitrary: fc.constant('nobody') })
    : fc.oneof({ weight: 4, arbitrary: fc.constant('nobody') }, { weight: 1, arbitrary: fc.constantFrom(...roles, ...bad) })
}

export function authorization (as: string, ctx: FuzzContext): Record<string, string> {
  if (as === 'nobody') return {}
  if (as.startsWith('bad:')) return { authorization: ctx.badTokens[Number(as.slice(4))]! }
  return { authorization: `Bearer ${ctx.tokens()[as]!}` }
}

/** A third of the requests are well-formed (valid values, a role's token) so they reach the handlers and the
 * database; the rest bend one or more parts. */
export function requestFor (route: Route, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 1, arbitrary: shaped(route, ctx, true) }, { weight: 2, arbitrary: shaped(route, ctx, false) })
}

function shaped (route: Route, ctx: FuzzContext, clean: boolean): fc.Arbitrary<FuzzRequest> {
  const params = Object.entries(route.params)
  const value = (s: Schema): fc.Arbitrary<string> => clean ? (ctx.known.uuids.length > 0 && s.format === 'uuid' ? fc.constantFrom(...ctx.known.uuids) : validOf(s, ctx.known).map((v) => encodeAny(String(v)))) : pathValue(s, ctx.known)
  const path = params.length === 0
    ? fc.constant(route.path)
    : fc.tuple(...params.map(([, s]) => value(s))).map((values) => params.reduce((p, [name], i) => p.replace(`{${name}}`, values[i]!), route.path))
  return fc.record({ path, query: queryString(route, ctx.known, clean), body: bodyOf(route, ctx, clean), as: caller(route, ctx, clean) }).map(({ path, query, body, as }) => ({
    method: route.method,
    url: path + query,
    headers: (body.contentType === undefined ? {} : { 'content-type': body.contentType }) as Record<string, string>,
    ...(body.payload === undefined ? {} : { payload: body.payload }),
    as,
    ...(ctx.pages?.includes(`${route.method} ${route.path}`) === true ? { page: true } : {}),
    ...(clean ? { clean: true } : {})
  }))
}
