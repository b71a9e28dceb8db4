// Redis through @fastify/redis. Commands fail fast while Redis is down (no offline queue) so a request
// never hangs on it; readiness reports it as degraded rather than taking the service out.
import fp from 'fastify-plugin'
import fastifyRedis from '@fastify/redis'
import type { FastifyInstance } from 'fastify'

export const redisPlugin = fp(async (app: FastifyInstance, options: { url: string, critical?: boolean }) => {
  await app.register(fastifyRedis, {
    url: options.url,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000)
  })
  // A Redis that is down at start must not stop the service: connect in the background.
  app.redis.connect().catch((err: Error) => { app.log.warn({ err }, 'redis not reachable yet') })
  app.redis.on('error', () => {})
  app.health.add({ name: 'redis', critical: options.critical ?? false, check: async () => { await app.redis.ping() } })
}, { name: 'dreamseed-redis', fastify: '5.x', dependencies: ['dreamseed-health'] })
