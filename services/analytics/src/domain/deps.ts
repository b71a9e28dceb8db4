// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js'
import type { ResponseCache } from './response-cache.js'
import type { CalibrateItem } from './calibrate.js'

export type Db = PostgresJsDatabase<Record<string, unknown>>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface AnalyticsDeps {
  db: Db
  now: () => Date
  cache: ResponseCache
  /** Called after a transaction that wrote to the outbox has committed. */
  eventsWritten: () => void
  /** Fixed-ability calibration of one item (@dreamseed/irt's). */
  calibrate: CalibrateItem
  calibrationMinResponses: number
  driftMinResponses: number
}
