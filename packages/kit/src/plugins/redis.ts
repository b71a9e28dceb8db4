// Redis for rate limits, caches and revocation. We create the ioredis client ourselves instead of using
// @fastify/redis, because that plugin holds the app's start until Redis answers, and a service must start and
// serve while Redis is down. Commands fail fast then (no offline queue), and readiness says degraded.
import fp from 'fastify-plugin'
import { Redis } from 'ioredis'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis
  }
}

export const redisPlugin = fp(async (app: FastifyInstance, options: { url: string, critical?: boolean }) => {
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000)
  })
  redis.on('error', () => {})
  redis.connect().catch((err: Error) => { app.log.warn({ err }, 'redis not reachable yet; retrying in the background') })
  app.decorate('redis', redis)
  app.health.add({ name: 'redis', critical: options.critical ?? false, check: async () => { await redis.ping() } })
  app.addHook('onClose', async () => {
    if (redis.status === 'ready') await redis.quit()
    else redis.disconnect()
  })
}, { name: 'dreamseed-redis', fastify: '5.x', dependencies: ['dreamseed-health'] })
