// Prometheus metrics, served on the operational port: process defaults plus one request-duration histogram
// labelled by route template (never the raw URL, which would explode cardinality), method and status. Each app
// has its own registry.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Counter, Registry, Histogram, collectDefaultMetrics } from 'prom-client'

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { registry: Registry, deadLetters: Counter<'consumer'> }
  }
  interface FastifyRequest {
    startedAt: bigint
  }
}

export const metricsPlugin = fp(async (app: FastifyInstance) => {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status_code'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry]
  })
  // Every service's consumers count the events they file as dead letters here (alert: any increase).
  const deadLetters = new Counter({ name: 'dreamseed_dead_letters_total', help: 'Events a consumer filed as dead letters (rejected, or out of deliveries)', labelNames: ['consumer'], registers: [registry] })
  app.decorate('metrics', { registry, deadLetters })
  // Both ports' requests, as when they shared one: the dashboards and alerts leave out /health/* and /metrics.
  for (const instance of [app, app.ops]) {
    instance.decorateRequest('startedAt', 0n)
    instance.addHook('onRequest', async (request) => { request.startedAt = process.hrtime.bigint() })
    instance.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched'
      duration.observe({ route, method: request.method, status_code: reply.statusCode }, Number(process.hrtime.bigint() - request.startedAt) / 1e9)
    })
  }
  app.ops.get('/metrics', async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}, { name: 'dreamseed-metrics', fastify: '5.x', dependencies: ['dreamseed-ops'] })
