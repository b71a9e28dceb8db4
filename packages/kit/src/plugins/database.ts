// Decorates the app with its database, adds it to readiness, serves the pool's figures (as JSON on the
// operational port and as gauges on /metrics), closes it last.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Gauge } from 'prom-client'
import { createDatabase, type PoolSettings } from '../database.js'

export interface DatabasePluginOptions {
  settings: PoolSettings
  schema: Record<string, unknown>
}

// A scrape waits this long for the figures; past it (Postgres down, or every connection lent out for longer)
// the pool's series are left out of that scrape rather than failing the whole /metrics answer.
const STATS_TIMEOUT_MS = 5000

export const databasePlugin = fp(async (app: FastifyInstance, options: DatabasePluginOptions) => {
  const database = createDatabase(options.settings, options.schema)
  app.decorate('database', database)
  app.health.add({ name: 'database', critical: true, check: async () => { await database.sql`select 1` } })
  app.ops.get('/health/database/pool', async () => await database.stats())

  // No "service" label: Prometheus adds it from the scraped Service (k8s/components/monitoring).
  new Gauge({ name: 'dreamseed_db_pool_max', help: 'Most connections this process\'s database pool opens (DB_POOL_MAX)', registers: [app.metrics.registry] }).set(options.settings.dbPoolMax)
  // Kept by the registry, which calls collect() at every scrape.
  new Gauge({
    name: 'dreamseed_db_pool_connections',
    help: 'Open connections of this process\'s database pool by state: busy (running a query or inside a transaction, counting the one reading this) or idle',
    labelNames: ['state'],
    registers: [app.metrics.registry],
    async collect () {
      this.reset()
      try {
        const stats = await withTimeout(database.stats(), STATS_TIMEOUT_MS)
        this.set({ state: 'busy' }, stats.active)
        this.set({ state: 'idle' }, stats.idle)
      } catch (err) {
        app.log.debug({ err }, 'database pool figures not read for /metrics')
      }
    }
  })
  app.addHook('onClose', async () => { await database.close(); app.log.debug('database pool closed') })
}, { name: 'dreamseed-database', fastify: '5.x', dependencies: ['dreamseed-ops', 'dreamseed-health', 'dreamseed-metrics'] })

async function withTimeout<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms) })])
  } finally {
    clearTimeout(timer)
  }
}
