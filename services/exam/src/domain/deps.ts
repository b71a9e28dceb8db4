// What the use cases need from the outside, passed in so they never see a request or a Fastify instance.
import type { Repositories } from '../repositories/index.js'
import type { BankCache } from './bank-cache.js'
import type { SessionCache } from './session-cache.js'
import type { EffortRules } from './effort.js'

export interface ExamDeps {
  /** The database, through exam's repositories (repositories/). */
  repos: Repositories
  now: () => Date
  /** Called after a transaction that wrote to the outbox has committed. */
  eventsWritten: () => void
  /** What choosing and scoring need of each organization's items, in memory (bounded: bank-cache.ts). */
  bank: BankCache
  /** Sessions in progress, in memory between answers. */
  sessions: SessionCache
  importMaxItems: number
  /** When the server suspends an idle session, and how long a stopped one may be resumed (from its start). */
  pauses: { suspendAfterMs: number, resumeWindowMs: number }
  /** Most seconds one extension of a session's time limit may add. */
  proctoring: { maxExtensionS: number }
  /** Rapid guesses and response-time effort (effort.ts). */
  effort: EffortRules
  /** Seeds of new sessions; tests pass a fixed one. */
  newSeed: () => number
}
