// Limits every route of a service with @fastify/rate-limit, counted in Redis so all replicas share one count:
// per client address (auth, whose routes are mostly used before signing in) or per signed-in user (exam,
// analytics: a school behind one address holds hundreds of users; requests without a token count per
// address). Expensive routes get a stricter limit, each its own count; health and metrics are never limited.
// A refusal is the shared error model: 429 RATE_LIMITED with Retry-After.
//
// Redis down: the limit is skipped, each skipped request warned about and counted
// (<service>_rate_limit_skipped_total), so people keep working. Limiting per replica in memory instead would
// multiply the limit by the replica count and still reset on every restart; the outage alert on that counter
// is the protection meanwhile.
import fp from 'fastify-plugin'
import rateLimit, { normalizeIP } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { Counter } from 'prom-client'
import { RateLimitedError } from '../errors.js'
import { parse, type Setting } from '../config.js'

export interface RateLimitOptions {
  /** Names the counter of skipped checks: `<service>_rate_limit_skipped_total`. */
  service: string
  /** Whose requests one count holds: a client address's, or a signed-in user's (else its address's). */
  per: 'address' | 'user'
  max: number
  strictMax: number
  windowSeconds: number
  /** URL patterns of the routes limited by strictMax, each route with its own count. */
  strict: RegExp[]
  /** Prefix of the Redis keys (each test app has its own). */
  nameSpace: string
}

const NEVER = /^\/(health|metrics)(\/|$)/

// The authentication plugin's onRequest hook is the instance's, so it has run before this route hook reads
// request.user.
const userOrAddress = (request: FastifyRequest): string => {
  const user = (request as { user?: { id: string } | null }).user
  return user === undefined || user === null ? `address:${normalizeIP(request.ip)}` : `user:${user.id}`
}

export const rateLimitPlugin = fp(async (app: FastifyInstance, options: RateLimitOptions) => {
  const skipped = new Counter({ name: `${options.service}_rate_limit_skipped_total`, help: 'Requests let through without a rate limit check because Redis was unreachable', registers: [app.metrics.registry] })
  const timeWindow = options.windowSeconds * 1000

  // Runs before the rate limiter's own onRoute hook (added below), so routes other plugins add later get their
  // limit from their path; a route that sets config.rateLimit itself keeps it.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.rateLimit !== undefined) return
    const limit = NEVER.test(route.url) ? false : options.strict.some((p) => p.test(route.url)) ? { max: options.strictMax, timeWindow } : undefined
    if (limit !== undefined) route.config = { ...route.config, rateLimit: limit }
  })

  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow,
    redis: app.redis,
    nameSpace: options.nameSpace,
    ...(options.per === 'user' ? { keyGenerator: userOrAddress } : {}),
    // Checked before Redis is asked: with Redis unreachable every command would fail anyway.
    allowList: (request) => {
      if (app.redis.status === 'ready') return false
      skipped.inc()
      request.log.warn('rate limit not checked: redis unreachable')
      return true
    },
    // A command that fails anyway (Redis went away mid-request) lets the request through too.
    skipOnError: true,
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    errorResponseBuilder: (_request, context) => new RateLimitedError(context.ttl / 1000)
  })
}, { name: 'dreamseed-rate-limit', fastify: '5.x', dependencies: ['dreamseed-redis', 'dreamseed-metrics'] })

const setting = <T>(s: Setting<T>): Setting<T> => s

/** A service's three rate limit settings, `<PREFIX>_RATE_LIMIT_MAX`, `_WINDOW_S` and `_STRICT_MAX`. */
export function rateLimitSettings (o: { envPrefix: string, service: string, per: string, max: number, strictMax: number, strictRoutes: string }) {
  return {
    rateLimitMax: setting({ env: `${o.envPrefix}_RATE_LIMIT_MAX`, description: `requests ${o.per} may make to ${o.service} per window (health and metrics are never limited)`, parse: parse.int(1, 1_000_000), default: o.max }),
    rateLimitWindowSeconds: setting({ env: `${o.envPrefix}_RATE_LIMIT_WINDOW_S`, description: 'the rate limits\' window', parse: parse.int(1, 86400), default: 60 }),
    rateLimitStrictMax: setting({ env: `${o.envPrefix}_RATE_LIMIT_STRICT_MAX`, description: `requests ${o.per} may make per window to ${o.strictRoutes}`, parse: parse.int(1, 1_000_000), default: o.strictMax })
  }
}
