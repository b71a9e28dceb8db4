// Answers cached in Redis, keyed by the version of the organization they belong to. A consumer that applied
// an event gives the organization a new version after its transaction commits, so the next reader misses
// and reads the new data: a cached answer never outlives the event that made it stale by more than the time
// between the commit and the bump. Versions are random, not counters, so a version key that Redis evicted
// or lost can never bring back answers stored under an older one. When Redis is down the cache is bypassed.
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { Counter, type Registry } from 'prom-client'

export interface ResponseCache {
  /** The cached answer for (route, key) in this organization, or the computed one, then stored. */
  get: <T>(route: string, organizationId: string | null, key: string, compute: () => Promise<T>) => Promise<T>
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

const newVersion = (): string => randomBytes(6).toString('base64url')

export function createResponseCache (options: ResponseCacheOptions): ResponseCache {
  const hits = new Counter({ name: 'analytics_cache_hits_total', help: 'Answers served from the Redis cache', labelNames: ['route'], registers: [options.registry] })
  const misses = new Counter({ name: 'analytics_cache_misses_total', help: 'Answers computed from the database (not in the cache, or Redis unreachable)', labelNames: ['route', 'reason'], registers: [options.registry] })
  const versionKey = (organizationId: string): string => `${options.prefix}:analytics:v:${organizationId}`
  // Organizations whose bump failed: until it succeeds this process reads around the cache for them.
  const unbumped = new Set<string>()

  const bump = async (redis: Redis, organizations: string[]): Promise<void> => {
    const pipeline = redis.pipeline()
    // The version outlives any entry stored under it, so an expired version never meets a live entry.
    for (const o of organizations) pipeline.set(versionKey(o), newVersion(), 'EX', options.ttlSeconds * 2 + 60)
    const results = await pipeline.exec()
    const failed = results?.find(([err]) => err !== null)
    if (failed !== undefined) throw failed[0]!
  }

  const usable = (): Redis | undefined => {
    const redis = options.redis()
    return redis?.status === 'ready' ? redis : undefined
  }

  const flushUnbumped = async (redis: Redis): Promise<boolean> => {
    if (unbumped.size === 0) return true
    try {
      const pending = [...unbumped]
      await bump(redis, pending)
      for (const o of pending) unbumped.delete(o)
      return true
    } catch {
      return false
    }
  }

  return {
    get: async <T>(route: string, organizationId: string | null, key: string, compute: () => Promise<T>): Promise<T> => {
      const redis = usable()
      if (organizationId === null || redis === undefined || !await flushUnbumped(redis) || unbumped.has(organizationId)) {
        misses.inc({ route, reason: 'bypassed' })
        return await compute()
      }
      let entryKey: string
      try {
        const vk = versionKey(organizationId)
        let version = await redis.get(vk)
        if (version === null) {
          await redis.set(vk, newVersion(), 'EX', options.ttlSeconds * 2 + 60, 'NX')
          version = await redis.get(vk)
          if (version === null) throw new Error('version key vanished')
        }
        entryKey = `${options.prefix}:analytics:c:${organizationId}:${version}:${route}:${key}`
        const cached = await redis.get(entryKey)
        if (cached !== null) {
          hits.inc({ route })
          return JSON.parse(cached) as T
        }
      } catch (err) {
        options.log.warn({ err }, 'cache unreachable; answering from the database')
        misses.inc({ route, reason: 'bypassed' })
        return await compute()
      }
      misses.inc({ route, reason: 'absent' })
      const value = await compute()
      redis.set(entryKey, JSON.stringify(value), 'EX', options.ttlSeconds).catch((err: unknown) => { options.log.warn({ err }, 'cache write failed') })
      return value
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
