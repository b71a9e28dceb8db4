// Answers cached in Redis, keyed by the version of the organization they belong to. A consumer that applied
// an event gives the organization a new version after its transaction commits, so the next reader misses
// and reads the new data: a cached answer never outlives the event that made it stale by more than the time
// between the commit and the bump. Versions are random, not counters, so a version key that Redis evicted
// or lost can never bring back answers stored under an older one. When Redis is down the cache is bypassed.
//
// A read is one round trip (issue 17): a script reads the version and the entry under it, and gives the
// organization a version when it has none, returning it so a miss stores its answer under the version it
// read. Answers a route sends as JSON are kept as the body its response serializer wrote (`rendered`), beside
// the small access facts every read checks, so a hit parses only the facts and sends the body as it is.
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { Counter, type Registry } from 'prom-client'

/**
 * A route's serializer of its answer (its response schema's). `id` names the serializer and goes into the
 * cache key, so a body is only ever sent by a route whose serializer wrote it (not one of another deploy).
 */
export interface JsonSerializer<T> { id: string, serialize: (value: T) => string }

/** What a rendered read gives back: the facts its access rules check, and the body to send (null: no answer to keep). */
export interface Rendered<F> { facts: F, body: string | null }

export interface ResponseCache {
  /** The cached answer for (route, key) in this organization, or the computed one, then stored. */
  get: <T>(route: string, organizationId: string | null, key: string, compute: () => Promise<T>) => Promise<T>
  /** The same for an answer its route sends as JSON: stored as `json` serialized it, beside its access facts. */
  rendered: <T, F>(route: string, organizationId: string | null, key: string, json: JsonSerializer<T>, compute: () => Promise<{ facts: F, value: T | null }>) => Promise<Rendered<F>>
  /** Makes every cached answer of these organizations stale. */
  invalidate: (organizations: string[]) => Promise<void>
}

export interface ResponseCacheOptions {
  redis: () => Redis | undefined
  /** Namespace of the keys (the events prefix, so test runs never share entries). */
  prefix: string
  ttlSeconds: number
  registry: Registry
  log: { warn: (obj: object, msg: string) => void }
}

// Every read passes a new version in case the organization has none, so versions come from a pool of random
// bytes filled a thousand at a time (each 6 bytes used once): randomBytes per read cost more than the rest of a hit.
let pool = Buffer.alloc(0)
let used = 0
function newVersion (): string {
  if (used + 6 > pool.length) {
    pool = randomBytes(6 * 1024)
    used = 0
  }
  used += 6
  return pool.toString('base64url', used - 6, used)
}

// KEYS[1] the organization's version key; ARGV the entry key's head and tail (the version goes between them),
// then a new version and its lifetime, set only when the organization has none. The entry key is built here
// from the version just read, so it cannot be declared: both keys carry the organization as a hash tag, which
// keeps them in one slot should the cache ever run on a Redis Cluster.
const READ_SCRIPT = `
local version = redis.call('GET', KEYS[1])
if not version then
  redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
  return { ARGV[3] }
end
return { version, redis.call('GET', ARGV[1] .. version .. ARGV[2]) }
`
const READ = 'analyticsCacheRead'
type Read = (versionKey: string, head: string, tail: string, version: string, versionTtl: number) => Promise<[string, (string | null)?]>

/** The script as a command of this client: ioredis sends its text (EVAL) once per connection, then its digest (EVALSHA). */
function readerOf (redis: Redis): Read {
  if (!(READ in redis)) redis.defineCommand(READ, { numberOfKeys: 1, lua: READ_SCRIPT })
  const read = (redis as unknown as Record<typeof READ, Read>)[READ]
  return read.bind(redis)
}

interface Codec<T> { encode: (value: T) => string, decode: (stored: string) => T }

const plain: Codec<unknown> = { encode: (value) => JSON.stringify(value), decode: (stored) => JSON.parse(stored) }

// JSON.stringify writes no raw newline, so the first one ends the facts; an entry without one has no body.
const renderedCodec: Codec<Rendered<unknown>> = {
  encode: ({ facts, body }) => body === null ? JSON.stringify(facts) : `${JSON.stringify(facts)}\n${body}`,
  decode: (stored) => {
    const end = stored.indexOf('\n')
    return end === -1 ? { facts: JSON.parse(stored), body: null } : { facts: JSON.parse(stored.slice(0, end)), body: stored.slice(end + 1) }
  }
}

export function createResponseCache (options: ResponseCacheOptions): ResponseCache {
  const hits = new Counter({ name: 'analytics_cache_hits_total', help: 'Answers served from the Redis cache', labelNames: ['route'], registers: [options.registry] })
  const misses = new Counter({ name: 'analytics_cache_misses_total', help: 'Answers computed from the database (not in the cache, or Redis unreachable)', labelNames: ['route', 'reason'], registers: [options.registry] })
  const versionKey = (organizationId: string): string => `${options.prefix}:analytics:v:{${organizationId}}`
  const entryHead = (organizationId: string): string => `${options.prefix}:analytics:c:{${organizationId}}:`
  // The version outlives any entry stored under it, so an expired version never meets a live entry.
  const versionTtl = options.ttlSeconds * 2 + 60
  // Organizations whose bump failed: until it succeeds this process reads around the cache for them.
  const unbumped = new Set<string>()

  const bump = async (redis: Redis, organizations: string[]): Promise<void> => {
    const pipeline = redis.pipeline()
    for (const o of organizations) pipeline.set(versionKey(o), newVersion(), 'EX', versionTtl)
    const results = await pipeline.exec()
    const failed = results?.find(([err]) => err !== null)
    if (failed !== undefined) throw failed[0]!
  }

  const usable = (): Redis | undefined => {
    const redis = options.redis()
    return redis?.status === 'ready' ? redis : undefined
  }

  const flushUnbumped = async (redis: Redis): Promise<boolean> => {
    try {
      const pending = [...unbumped]
      await bump(redis, pending)
      for (const o of pending) unbumped.delete(o)
      return true
    } catch {
      return false
    }
  }

  // `route` labels the counters; `space` is the route's part of the key.
  const lookup = async <T>(route: string, space: string, organizationId: string | null, key: string, compute: () => Promise<T>, codec: Codec<T>): Promise<T> => {
    const redis = usable()
    if (organizationId === null || redis === undefined || (unbumped.size > 0 && !await flushUnbumped(redis)) || unbumped.has(organizationId)) {
      misses.inc({ route, reason: 'bypassed' })
      return await compute()
    }
    const head = entryHead(organizationId)
    const tail = `:${space}:${key}`
    let version: string
    try {
      const [read, cached] = await readerOf(redis)(versionKey(organizationId), head, tail, newVersion(), versionTtl)
      if (cached !== undefined && cached !== null) {
        hits.inc({ route })
        return codec.decode(cached)
      }
      version = read
    } catch (err) {
      options.log.warn({ err }, 'cache unreachable; answering from the database')
      misses.inc({ route, reason: 'bypassed' })
      return await compute()
    }
    misses.inc({ route, reason: 'absent' })
    const value = await compute()
    redis.set(head + version + tail, codec.encode(value), 'EX', options.ttlSeconds).catch((err: unknown) => { options.log.warn({ err }, 'cache write failed') })
    return value
  }

  return {
    get: async <T>(route: string, organizationId: string | null, key: string, compute: () => Promise<T>): Promise<T> =>
      await lookup(route, route, organizationId, key, compute, plain as Codec<T>),

    rendered: async <T, F>(route: string, organizationId: string | null, key: string, json: JsonSerializer<T>, compute: () => Promise<{ facts: F, value: T | null }>): Promise<Rendered<F>> => {
      const render = async (): Promise<Rendered<F>> => {
        const { facts, value } = await compute()
        return { facts, body: value === null ? null : json.serialize(value) }
      }
      // The serializer's id in the route's part of the key: a rendered entry never meets a plain one, nor another serializer's.
      return await lookup(route, `${route}@${json.id}`, organizationId, key, render, renderedCodec as Codec<Rendered<F>>)
    },

    invalidate: async (organizations: string[]): Promise<void> => {
      if (organizations.length === 0) return
      for (const o of organizations) unbumped.add(o)
      const redis = usable()
      if (redis === undefined) return
      if (!await flushUnbumped(redis)) options.log.warn({ organizations: unbumped.size }, 'cache versions not bumped; reading around the cache until Redis answers')
    }
  }
}
