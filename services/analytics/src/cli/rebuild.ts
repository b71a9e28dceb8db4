// `pnpm --filter @dreamseed/analytics run rebuild`: truncates analytics' read models and replays every stream
// it reads from the start (see domain/rebuild.ts), then makes every cached answer stale. Safe to run while
// the service runs; reports stay incomplete until it finishes.
import { connect } from '@nats-io/transport-node'
import { Redis } from 'ioredis'
import { Registry } from 'prom-client'
import * as analyticsTables from '@dreamseed/schema/analytics'
import { ConfigError, createDatabase, natsConnectOptions } from '@dreamseed/kit'
import { loadAnalyticsConfig } from '../config.js'
import { rebuildReadModels } from '../domain/rebuild.js'
import { createResponseCache } from '../domain/response-cache.js'

const log = {
  info: (obj: object, msg: string) => { console.log(JSON.stringify({ msg, ...obj })) },
  warn: (obj: object, msg: string) => { console.error(JSON.stringify({ msg, ...obj })) }
}

let config
try {
  config = loadAnalyticsConfig()
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(`analytics rebuild: ${err.message}`)
  process.exit(1)
}

const database = createDatabase({ ...config, serviceName: `${config.serviceName}-rebuild` }, analyticsTables)
const nc = await connect(natsConnectOptions({ servers: config.natsUrl, name: `${config.serviceName}-rebuild`, user: config.natsUser, password: config.natsPassword }))
const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 })
redis.on('error', () => {})
try {
  const started = Date.now()
  const result = await rebuildReadModels({ db: database.db, nc, prefix: config.eventsPrefix, log })
  await redis.connect().catch(() => { log.warn({}, 'redis unreachable: cached answers expire by their TTL') })
  const cache = createResponseCache({ redis: () => redis, prefix: config.eventsPrefix, ttlSeconds: config.cacheTtlSeconds, registry: new Registry(), log })
  await cache.invalidate(result.organizations)
  log.info({ streams: result.streams, organizations: result.organizations.length, ms: Date.now() - started }, 'read models rebuilt')
} finally {
  redis.disconnect()
  await nc.close()
  await database.close()
}
