// Decorates the app with its database, adds it to readiness, serves the pool's figures, closes it last.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { createDatabase, type PoolSettings } from '../database.js'

export interface DatabasePluginOptions {
  settings: PoolSettings
  schema: Record<string, unknown>
}

export const databasePlugin = fp(async (app: FastifyInstance, options: DatabasePluginOptions) => {
  const database = createDatabase(options.settings, options.schema)
  app.decorate('database', database)
  app.health.add({ name: 'database', critical: true, check: async () => { await database.sql`select 1` } })
  app.get('/health/database/pool', async () => await database.stats())
  app.addHook('onClose', async () => { await database.close(); app.log.debug('database pool closed') })
}, { name: 'dreamseed-database', fastify: '5.x', dependencies: ['dreamseed-health'] })
