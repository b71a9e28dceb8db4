// The fuzzing loop: for each route a fast-check property over whole requests, sent with app.inject. Every
// answer must be below 500; every 4xx must be the shared error model; a caller outside the school is refused
// what names the school's things and shown none of them; and a refused request must leave every table of the
// service as it was. A failure is shrunk to a small counterexample and reported with its seed.
import fc from 'fast-check'
import type { Test } from 'tap'
import { authorization, requestFor, type FuzzContext, type FuzzRequest } from './requests.js'
import { changedTables, type Fingerprint } from './tables.js'
import { encodeAny, oddString, PROTO_KEYS } from './arbitraries.js'
import { INTERNAL_ROUTES, routeName, type Route } from './openapi.js'
import { tolerated, type Answer } from './known-bugs.js'

type T = Pick<Test, 'pass' | 'fail' | 'comment'>

/** The part of a Fastify instance the fuzzer uses. */
export interface Injectable {
  inject (options: { method: string, url: string, headers?: Record<string, string>, payload?: string }): Promise<{ statusCode: number, headers: Record<string, unknown>, body: string }>
}

export interface FuzzTarget {
  app: Injectable
  /** The operational port (app.ops), where the internal routes live. */
  ops: Injectable
  fingerprint: () => Promise<Fingerprint>
  ctx: FuzzContext
  /** Run before each route: renews tokens and puts back fixtures the previous route's requests changed. */
  repair?: () => Promise<void>
}

/** Runs per route: FUZZ_RUNS, or the CI setting. */
export const runsPerRoute = (ci: number): number => Number(process.env.FUZZ_RUNS ?? ci)
/** FUZZ_SEED replays a reported failure. */
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)

export interface Tally {
  requests: number
  byStatus: Record<string, number>
  byRoute: Record<string, Record<string, number>>
  /** Answers matching a known, reported bug (see known-bugs.ts). */
  knownBugs: Record<string, number>
  ms: Record<string, number>
}

export const newTally = (): Tally => ({ requests: 0, byStatus: {}, byRoute: {}, knownBugs: {}, ms: {} })

/** What is wrong with an answer, if anything. */
export function violation (req: Pick<FuzzRequest, 'method' | 'headers' | 'page'>, res: Answer): string | undefined {
  if (res.statusCode >= 500) return `answered ${res.statusCode}: ${res.body.slice(0, 300)}`
  if (res.statusCode < 400 || req.method === 'HEAD') return undefined
  const type = String(res.headers['content-type'] ?? '')
  // A browser's form post, or a page opened from a mail, gets a page back, refusals included (by design).
  if (type.startsWith('text/html') && (req.page === true || (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))) return undefined
  let body: { error?: { code?: unknown, message?: unknown, requestId?: unknown } }
  try { body = JSON.parse(res.body) as typeof body } catch { return `a ${res.statusCode} that is not JSON (${type}): ${res.body.slice(0, 200)}` }
  const e = body.error
  if (typeof e?.code !== 'string' || typeof e.message !== 'string' || typeof e.requestId !== 'string') return `a ${res.statusCode} outside the error model: ${res.body.slice(0, 300)}`
  return undefined
}

const decoded = (path: string): string => { try { return decodeURIComponent(path) } catch { return path } }

/**
 * What is wrong with an answer to a caller outside the school (another school's staff, a user of none): a path
 * naming one of the school's ids is refused (403 or 404 when the request is well-formed, so nothing but the
 * handler's checks could refuse it; any 4xx when it is bent, since validation may answer first), and no answer
 * shows a school id the request did not send. The route walk (packages/testing's route-walk.ts, each service's
 * route-walk.test.ts) checks more: "not yours" answered exactly as "no such thing", and mixes with the caller's own ids.
 */
export function outsiderViolation (req: Pick<FuzzRequest, 'url' | 'as' | 'payload' | 'clean'>, res: Answer, ctx: Pick<FuzzContext, 'outsiders'>): string | undefined {
  if (ctx.outsiders === undefined || !ctx.outsiders.callers.includes(req.as)) return undefined
  const path = decoded(req.url.split('?')[0] ?? '').toLowerCase()
  const named = ctx.outsiders.ids.filter((id) => path.includes(id.toLowerCase()))
  if (named.length > 0 && res.statusCode < 400) return `${req.as} named the school's ${named.join(', ')} and was answered ${res.statusCode}: ${res.body.slice(0, 300)}`
  if (named.length > 0 && req.clean === true && res.statusCode !== 403 && res.statusCode !== 404) return `${req.as} named the school's ${named.join(', ')} in a well-formed request and was answered ${res.statusCode}, not 403 or 404: ${res.body.slice(0, 300)}`
  const sent = decoded(`${req.url} ${req.payload ?? ''}`).toLowerCase()
  const shown = ctx.outsiders.ids.filter((id) => !sent.includes(id.toLowerCase()) && res.body.toLowerCase().includes(id.toLowerCase()))
  if (shown.length > 0) return `${req.as} was shown the school's ${shown.join(', ')}: ${res.statusCode} ${res.body.slice(0, 300)}`
  return undefined
}

async function send (app: Injectable, req: FuzzRequest, ctx: FuzzContext): Promise<Answer> {
  const res = await app.inject({ method: req.method, url: req.url, headers: { ...req.headers, ...authorization(req.as, ctx) }, ...(req.payload === undefined ? {} : { payload: req.payload }) })
  return { statusCode: res.statusCode, headers: res.headers, body: res.body }
}

const short = (req: FuzzRequest): Record<string, unknown> => ({ ...req, ...(req.payload !== undefined && req.payload.length > 2000 ? { payload: `${req.payload.slice(0, 2000)}… (${req.payload.length} chars)` } : {}) })

/** One property over arbitrary requests: checks every answer and, for refusals, every table. */
export async function fuzzRequests (t: T, target: FuzzTarget, name: string, requests: fc.Arbitrary<FuzzRequest>, runs: number, tally: Tally): Promise<void> {
  let baseline: Fingerprint | undefined
  let last: { req: FuzzRequest, problem: string } | undefined
  const property = fc.asyncProperty(requests, async (req) => {
    baseline ??= await target.fingerprint()
    const res = await send(target.app, req, target.ctx)
    tally.requests++
    tally.byStatus[res.statusCode] = (tally.byStatus[res.statusCode] ?? 0) + 1
    const perRoute = tally.byRoute[name] ??= {}
    perRoute[res.statusCode] = (perRoute[res.statusCode] ?? 0) + 1
    let problem = violation(req, res) ?? outsiderViolation(req, res, target.ctx)
    const known = problem === undefined ? undefined : tolerated(res)
    if (known !== undefined) { tally.knownBugs[known.id] = (tally.knownBugs[known.id] ?? 0) + 1; problem = undefined }
    const after = await target.fingerprint()
    const changed = res.statusCode >= 400 ? changedTables(baseline, after) : []
    baseline = after
    if (problem !== undefined) { last = { req, problem }; return false }
    if (changed.length > 0) { last = { req, problem: `refused with ${res.statusCode} ${res.body.slice(0, 200)} but changed ${changed.join(', ')}` }; return false }
    return true
  })
  const started = Date.now()
  const result = await fc.check(property, { numRuns: runs, ...(seed === undefined ? {} : { seed }) })
  tally.ms[name] = Date.now() - started
  if (result.failed) {
    t.fail(`${name}: ${last?.problem ?? 'failed'}`, { seed: result.seed, path: result.counterexamplePath, counterexample: result.counterexample?.[0] === undefined ? undefined : short(result.counterexample[0]) })
  } else {
    t.pass(`${name}: ${result.numRuns} requests`)
  }
}

export async function fuzzRoutes (t: T, target: FuzzTarget, routes: Route[], runs: number, tally: Tally): Promise<void> {
  for (const route of routes) {
    await target.repair?.()
    await fuzzRequests(t, target, routeName(route), requestFor(route, target.ctx), runs, tally)
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE']

/** Requests to paths that are not routes, and routes with the wrong method: 404s and 405s in the error model. */
export function strayRequests (prefixes: string[], ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(fc.constantFrom('..', '%2e%2e', '%00', '%', '~', 'docs', 'json', 'health', 'metrics', ...PROTO_KEYS, ...ctx.known.uuids.slice(0, 3)), oddString.map(encodeAny))
  return fc.record({
    method: fc.constantFrom(...METHODS),
    prefix: fc.constantFrom(...prefixes, '/', '//', '/%2F'),
    rest: fc.array(segment, { maxLength: 4 }),
    as: fc.constantFrom('nobody', ...Object.keys(ctx.tokens())),
    payload: fc.option(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), { freq: 3 })
  }).map(({ method, prefix, rest, as, payload }) => ({
    method,
    url: `${prefix.replace(/\/$/, '')}/${rest.join('/')}`,
    headers: (payload === null ? {} : { 'content-type': 'application/json' }) as Record<string, string>,
    ...(payload === null ? {} : { payload }),
    as
  }))
}

/** Every routes' properties, plus strays, with a closing summary. */
export async function fuzzService (t: T, target: FuzzTarget, routes: Route[], options: { runs: number, internalRuns?: number, prefixes: string[], extra?: Array<[string, fc.Arbitrary<FuzzRequest>]> }): Promise<Tally> {
  const tally = newTally()
  const started = Date.now()
  await fuzzRoutes(t, target, routes, options.runs, tally)
  // Cheap, outside the document and on the ops port: a fifth of the runs each.
  await fuzzRoutes(t, { ...target, app: target.ops }, INTERNAL_ROUTES, options.internalRuns ?? Math.ceil(options.runs / 5), tally)
  for (const [name, requests] of options.extra ?? []) { await target.repair?.(); await fuzzRequests(t, target, name, requests, options.runs, tally) }
  await target.repair?.()
  await fuzzRequests(t, target, 'stray paths and methods', strayRequests(options.prefixes, target.ctx), options.runs, tally)
  if (process.env.FUZZ_VERBOSE === '1') for (const [name, statuses] of Object.entries(tally.byRoute)) t.comment(`${name}: ${JSON.stringify(statuses)} in ${tally.ms[name] ?? 0} ms`)
  t.comment(`fuzzed ${routes.length} documented routes, ${INTERNAL_ROUTES.length} internal ones and ${1 + (options.extra?.length ?? 0)} more properties: ${tally.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; by status ${JSON.stringify(tally.byStatus)}; known bugs ${JSON.stringify(tally.knownBugs)}`)
  return tally
}
