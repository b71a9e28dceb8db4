// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { Db } from '@dreamseed/kit'
import type { Repositories } from '../repositories/index.js'
import type { ResponseCache } from './response-cache.js'
import type { CalibrateItem } from './calibrate.js'

export interface AnalyticsDeps {
  /** For applying events (apply-event.ts), which opens its own transactions. */
  db: Db
  /** The reports' queries and the promotion's write. */
  repositories: Repositories
  now: () => Date
  cache: ResponseCache
  /** Called after a transaction that wrote to the outbox has committed. */
  eventsWritten: () => void
  /** Fixed-ability calibration of one item (@dreamseed/irt's). */
  calibrate: CalibrateItem
  calibrationMinResponses: number
  driftMinResponses: number
  /** Scores in a subject and term an organization needs before percentile ranks are given. */
  minRankGroup: number
}
