// analytics' settings: the shared ones, Redis, how to check auth's access tokens, its consumers, its cache
// and online calibration.
import { authenticationSettings, commonSettings, loadConfig, parse, rateLimitSettings, redisSettings, type Env, type Setting } from '@dreamseed/kit'

const setting = <T>(s: Setting<T>): Setting<T> => s

export const analyticsSettings = {
  ...commonSettings({ port: 3003, opsPort: 9003, service: 'analytics' }),
  ...redisSettings,
  ...authenticationSettings,
  // A person never comes near these (a dashboard is a handful of requests); load tools and tests raise them.
  ...rateLimitSettings({ envPrefix: 'ANALYTICS', service: 'analytics', per: 'one signed-in user (without a token: one client address)', max: 3000, strictMax: 120, strictRoutes: 'each of an item\'s calibration, its promotion and each chart (the ability charts, the growth chart and the term distribution)' }),
  outboxPollMs: setting({ env: 'OUTBOX_POLL_MS', description: 'how often the relay looks for events written by other replicas', parse: parse.int(10, 60000), default: 500 }),
  cacheTtlSeconds: setting({ env: 'ANALYTICS_CACHE_TTL_S', description: 'how long an answer stays in the Redis cache (events that change its data replace it sooner)', parse: parse.int(1, 86400), default: 300 }),
  examConsumerConcurrency: setting({ env: 'ANALYTICS_EXAM_CONCURRENCY', description: 'batches of exam events applied at once (their order does not matter to the read models, but two batches may wait on each other\'s rows, rarely in a deadlock Postgres breaks by failing one, which is then applied one event at a time)', parse: parse.int(1, 64), default: 1 }),
  consumerBatchSize: setting({ env: 'ANALYTICS_CONSUMER_BATCH_SIZE', description: 'most events a consumer applies in one transaction (a batch holds what has arrived since the last began)', parse: parse.int(1, 1000), default: 64 }),
  consumerMaxDeliver: setting({ env: 'ANALYTICS_CONSUMER_MAX_DELIVER', description: 'deliveries of one event before it is given up', parse: parse.int(1, 1000), default: 20 }),
  consumerBackoffMs: setting({ env: 'ANALYTICS_CONSUMER_BACKOFF_MS', description: 'delays between retries of an event that could not be applied (last repeats)', parse: parseList, default: [1000, 5000, 15000, 60000], defaultDoc: '1000,5000,15000,60000' }),
  consumerAckWaitMs: setting({ env: 'ANALYTICS_CONSUMER_ACK_WAIT_MS', description: 'time before an unacknowledged event is delivered again', parse: parse.int(1000, 600000), default: 30000 }),
  calibrationMinResponses: setting({ env: 'ANALYTICS_CALIBRATION_MIN_RESPONSES', description: 'pretest responses (from completed sessions) an item needs before it may be promoted', parse: parse.int(10, 1_000_000), default: 200 }),
  driftMinResponses: setting({ env: 'ANALYTICS_DRIFT_MIN_RESPONSES', description: 'responses (from completed sessions) an item needs before drift is judged', parse: parse.int(1, 1_000_000), default: 30 }),
  minRankGroup: setting({ env: 'ANALYTICS_MIN_RANK_GROUP', description: 'students of the organization with a score in a subject and term needed before percentile ranks are given (fewer: "too few to rank")', parse: parse.int(1, 1_000_000), default: 10 })
}

function parseList (raw: string): number[] {
  const values = raw.split(',').map((v) => v.trim())
  if (values.length === 0 || values.some((v) => !/^\d+$/.test(v))) throw new Error('expected whole numbers separated by commas')
  return values.map(Number)
}

export type AnalyticsConfig = ReturnType<typeof loadAnalyticsConfig>

export function loadAnalyticsConfig (env: Env = process.env) {
  return loadConfig(analyticsSettings, env)
}
