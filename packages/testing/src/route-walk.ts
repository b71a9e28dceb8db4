// A walk over every route of a service that needs a token, read from the service's own OpenAPI document, as
// people outside organization A (another organization's admin, teacher and student; someone of no
// organization) naming A's things. A route added later is walked without anyone editing the tests: its path
// parameters are filled by name from the test's map of A's values, and a name the map lacks is a problem
// that names the route, so a new kind of id makes someone say what to put there.
//
// The rules, per answer:
// - a request naming A's things in its path is answered 403 or 404;
// - a request naming any of A's things (path, query or body) is answered exactly as the same request naming
//   things that do not exist (status and body, request ids, ids and times aside): nothing tells "not yours"
//   from "no such thing";
// - no answer shows an id or value of A's that the request did not send (a list shows none of A's rows);
// - after each route, A's rows in the service's schema are as they were.
import { freshLike, minimalValue, UnfillableError, type JsonSchema } from './route-walk-values.js'
import { rowChanges, type RowsSnapshot } from './organization-rows.js'

export interface WalkOperation {
  method: string
  /** OpenAPI form: /exam/items/{id} */
  path: string
  pathParams: Array<{ name: string, schema: JsonSchema }>
  query: Array<{ name: string, schema: JsonSchema, required: boolean }>
  /** The JSON body's schema, when the route documents one. */
  body?: JsonSchema
}

interface DocOperation {
  parameters?: Array<{ in: string, name: string, required?: boolean, schema: JsonSchema }>
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
  security?: unknown[]
}

export interface OpenApiDocument { paths?: Record<string, Record<string, DocOperation>> }

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'])

/** Every operation of the document, and whether it needs a token (the kit marks those with `security`). */
export function operationsOf (doc: OpenApiDocument): Array<WalkOperation & { secured: boolean }> {
  return Object.entries(doc.paths ?? {}).flatMap(([path, ops]) => Object.entries(ops).filter(([m]) => METHODS.has(m)).map(([method, op]) => {
    const parameters = op.parameters ?? []
    const body = op.requestBody?.content?.['application/json']?.schema
    return {
      method: method.toUpperCase(),
      path,
      pathParams: parameters.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
      query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
      ...(body === undefined ? {} : { body }),
      secured: (op.security ?? []).length > 0
    }
  }))
}

export const operationName = (op: Pick<WalkOperation, 'method' | 'path'>): string => `${op.method} ${op.path}`

/**
 * The key a value is looked up by in the walk's maps: a path parameter by the segment before it and its name
 * ("items/{id}", "classrooms/{classroomId}": `id` means something else on every resource), a query parameter
 * as "?name", a body property as ".name" (".stopping.minItems" when nested).
 */
export function pathKey (path: string, name: string): string {
  const segments = path.split('/')
  const at = segments.indexOf(`{${name}}`)
  return `${segments[at - 1] ?? ''}/{${name}}`
}

export interface WalkActor {
  name: string
  /** Read before each request, so a test can sign in again when a walked route ended the session (a logout). */
  headers: () => Promise<Record<string, string>>
  /** The actor's own organization's values, by the same keys: requests mixing theirs with A's are walked too. */
  own?: Record<string, unknown>
}

/** A service's built app: requests go through inject, and its OpenAPI document comes from @fastify/swagger
 * (the document /docs/json serves, whichever port serves it). */
export interface WalkApp {
  inject (options: { method: string, url: string, headers: Record<string, string>, payload?: string }): Promise<{ statusCode: number, body: string }>
  swagger (): unknown
}

export interface WalkOptions {
  app: WalkApp
  /**
   * Organization A's values by key (see pathKey). Every path parameter and every uuid in a query or body must
   * have an entry (null: leave an optional one out, e.g. a page cursor); any other entry replaces the smallest
   * valid value (an address of A's user where a route takes an email).
   */
  values: Record<string, unknown>
  /** Every id (and other value, such as an address or a join code) of A's that no answer to an outsider may show. */
  secrets: string[]
  actors: WalkActor[]
  /** A's rows in the service's schema (organizationRows), compared after each route. */
  rows: () => Promise<RowsSnapshot>
  schema: string
  /** Which operations to walk (default: every one that needs a token). */
  select?: (op: WalkOperation & { secured: boolean }) => boolean
}

export interface WalkAnswer { actor: string, variant: string, method: string, url: string, status: number, body: string }

export interface WalkReport {
  /** Operations that need a token: what the walk must cover. */
  secured: string[]
  /** Operations that need none: not walked (anyone may call them). */
  public: string[]
  walked: string[]
  answers: WalkAnswer[]
  problems: string[]
}

interface Built { url: string, payload?: string, sent: string[] }

type Values = Record<string, unknown>

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const TIMES = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g

/**
 * An answer as compared: request ids dropped, ids and times blanked, and a value that only echoes what the
 * request sent (an invited address, say) blanked too, since the two requests sent different ones.
 */
export function comparable (status: number, body: string, sent: string[] = []): string {
  let value: unknown = body
  try { value = JSON.parse(body) } catch { /* not JSON: compared as text */ }
  const echoed = new Set(sent.map((s) => s.toLowerCase()))
  const strip = (v: unknown): unknown => Array.isArray(v)
    ? v.map(strip)
    : typeof v === 'object' && v !== null
      ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'requestId').map(([k, x]) => [k, strip(x)]))
      : typeof v === 'string' ? (echoed.has(v.toLowerCase()) ? '<sent>' : v.replace(UUIDS, '<id>').replace(TIMES, '<time>')) : v
  return `${status} ${JSON.stringify(strip(value))}`
}

const flat = (v: unknown): string[] => Array.isArray(v) ? v.flatMap(flat) : v === null || v === undefined ? [] : [String(v)]

const isUuid = (s: JsonSchema): boolean => s.format === 'uuid' || (s.items as JsonSchema | undefined)?.format === 'uuid'

/** One operation's request: the keys it draws from the maps, and the request built from them. */
class Request {
  /** Keys the map fills (path parameters always; query parameters and body properties the map names). */
  readonly keys: string[] = []
  readonly pathKeys: string[]

  constructor (private readonly op: WalkOperation, private readonly values: Values) {
    this.pathKeys = op.pathParams.map((p) => pathKey(op.path, p.name))
    for (const [i, key] of this.pathKeys.entries()) {
      if (values[key] === undefined || values[key] === null) throw new UnfillableError(`no value of organization A for path parameter "${op.pathParams[i]!.name}" (add "${key}" to the walk's values)`)
      this.keys.push(key)
    }
    const note = (key: string, s: JsonSchema): void => {
      if (values[key] === undefined && isUuid(s)) throw new UnfillableError(`no value of organization A for "${key}", a uuid (add it to the walk's values, or null to leave it out)`)
      if (values[key] !== undefined && values[key] !== null) this.keys.push(key)
    }
    for (const q of op.query) note(`?${q.name}`, q.schema)
    if (op.body !== undefined) minimalValue(op.body, '', (key, s) => { if (key !== '') note(key, s); return this.keys.includes(key) ? values[key] : undefined })
  }

  /** Organization A's values, with the `fresh` keys given values that name nothing and the actor's `own` ones theirs. */
  build (fresh: string[], own: Values): Built {
    const sent: string[] = []
    const pick = (key: string, s: JsonSchema): unknown => {
      if (!this.keys.includes(key)) return undefined
      const value = own[key] ?? (fresh.includes(key) ? freshLike(this.values[key], s) : this.values[key])
      sent.push(...flat(value))
      return value
    }
    let url = this.op.path
    for (const p of this.op.pathParams) url = url.replace(`{${p.name}}`, encodeURIComponent(String(pick(pathKey(this.op.path, p.name), p.schema))))
    const query = this.op.query.flatMap((q) => {
      const value = pick(`?${q.name}`, q.schema) ?? (q.required ? minimalValue(q.schema, `?${q.name}`, () => undefined) : undefined)
      return value === undefined ? [] : [`${encodeURIComponent(q.name)}=${encodeURIComponent(String(value))}`]
    })
    if (query.length > 0) url += `?${query.join('&')}`
    const body = this.op.body === undefined ? undefined : minimalValue(this.op.body, '', pick)
    return { url, ...(body === undefined ? {} : { payload: JSON.stringify(body) }), sent }
  }
}

/** The requests walked for one operation and actor: pairs of (A's values, values that name nothing). */
function variants (req: Request, actor: WalkActor): Array<{ name: string, own: string[] }> {
  const all = [{ name: "A's", own: [] as string[] }]
  if (actor.own === undefined || req.keys.length < 2) return all
  // Every mix of the actor's own values with A's (at least one of A's left): "take A's student into my classroom".
  const ownable = req.keys.filter((k) => actor.own?.[k] !== undefined && actor.own[k] !== null)
  for (let mask = 1; mask < 1 << ownable.length; mask++) {
    const own = ownable.filter((_, i) => (mask & (1 << i)) !== 0)
    if (own.length < req.keys.length) all.push({ name: `own ${own.join(', ')} with A's`, own })
  }
  return all
}

export async function walkRoutes (options: WalkOptions): Promise<WalkReport> {
  const ops = operationsOf(options.app.swagger() as OpenApiDocument)
  const report: WalkReport = {
    secured: ops.filter((o) => o.secured).map(operationName),
    public: ops.filter((o) => !o.secured).map(operationName),
    walked: [],
    answers: [],
    problems: []
  }
  const send = async (op: WalkOperation, actor: WalkActor, variant: string, built: Built): Promise<WalkAnswer> => {
    const headers = { ...await actor.headers(), ...(built.payload === undefined ? {} : { 'content-type': 'application/json' }) }
    const res = await options.app.inject({ method: op.method, url: built.url, headers, ...(built.payload === undefined ? {} : { payload: built.payload }) })
    const answer = { actor: actor.name, variant, method: op.method, url: built.url, status: res.statusCode, body: res.body }
    report.answers.push(answer)
    const shown = options.secrets.filter((s) => !built.sent.includes(s) && res.body.toLowerCase().includes(s.toLowerCase()))
    if (shown.length > 0) report.problems.push(`${operationName(op)} as ${actor.name} (${variant}): the answer shows A's ${shown.join(', ')}: ${res.statusCode} ${res.body.slice(0, 300)}`)
    return answer
  }

  for (const op of ops.filter(options.select ?? ((o) => o.secured))) {
    const name = operationName(op)
    let req: Request
    try { req = new Request(op, options.values) } catch (err) {
      if (!(err instanceof UnfillableError)) throw err
      report.problems.push(`${name}: ${err.message}`)
      continue
    }
    const before = await options.rows()
    for (const actor of options.actors) {
      for (const variant of variants(req, actor)) {
        const own = Object.fromEntries(variant.own.map((k) => [k, actor.own![k]]))
        const builtA = req.build([], own)
        const theirs = await send(op, actor, variant.name, builtA)
        const namesA = req.keys.filter((k) => !variant.own.includes(k))
        if (namesA.some((k) => req.pathKeys.includes(k)) && theirs.status !== 403 && theirs.status !== 404) {
          report.problems.push(`${name} as ${actor.name} (${variant.name}): ${theirs.status}, not 403 or 404: ${theirs.body.slice(0, 300)}`)
        }
        if (namesA.length === 0) continue
        const builtNone = req.build(namesA, own)
        const none = await send(op, actor, `${variant.name}, A's replaced by nothing`, builtNone)
        const [a, n] = [comparable(theirs.status, theirs.body, builtA.sent), comparable(none.status, none.body, builtNone.sent)]
        if (a !== n) {
          report.problems.push(`${name} as ${actor.name} (${variant.name}): A's things answer ${a.slice(0, 300)}, things that do not exist ${n.slice(0, 300)}`)
        }
      }
    }
    const changes = rowChanges(options.schema, before, await options.rows())
    if (changes.length > 0) report.problems.push(`${name}: organization A's rows changed: ${changes.join('; ')}`)
    report.walked.push(name)
  }
  return report
}
