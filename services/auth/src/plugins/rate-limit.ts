// Limits every auth route per client address with @fastify/rate-limit, counted in Redis so all replicas share
// one count. The routes that cost a password hash or send mail (login, register, password/*, verification
// resend) get a stricter limit, each its own count; health and metrics are never limited. A refusal is the
// shared error model: 429 RATE_LIMITED with Retry-After.
//
// Redis down: the limit is skipped, each skipped request warned about and counted
// (auth_rate_limit_skipped_total), so people still sign in. Limiting per replica in memory instead would
// multiply the limit by the replica count and still reset on every restart; the cost of a guess (argon2id)
// and the outage alert on that counter are the protection meanwhile.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { Counter } from 'prom-client'
import { RateLimitedError } from '@dreamseed/kit'

export interface RateLimitSettings {
  max: number
  strictMax: number
  windowSeconds: number
  /** Prefix of the Redis keys (each test app has its own). */
  nameSpace: string
}

const STRICT = [/^\/auth\/login$/, /^\/auth\/register$/, /^\/auth\/password\//, /^\/auth\/verification\/resend$/]
const NEVER = /^\/(health|metrics)(\/|$)/

export const rateLimitPlugin = fp(async (app: FastifyInstance, options: RateLimitSettings) => {
  const skipped = new Counter({ name: 'auth_rate_limit_skipped_total', help: 'Requests let through without a rate limit check because Redis was unreachable', registers: [app.metrics.registry] })
  const timeWindow = options.windowSeconds * 1000

  // Runs before the rate limiter's own onRoute hook (added below), so routes other plugins add later get their
  // limit from their path; a route that sets config.rateLimit itself keeps it.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.rateLimit !== undefined) return
    const limit = NEVER.test(route.url) ? false : STRICT.some((p) => p.test(route.url)) ? { max: options.strictMax, timeWindow } : undefined
    if (limit !== undefined) route.config = { ...route.config, rateLimit: limit }
  })

  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow,
    redis: app.redis,
    nameSpace: options.nameSpace,
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
}, { name: 'auth-rate-limit', fastify: '5.x', dependencies: ['dreamseed-redis', 'dreamseed-metrics'] })
